//! Token-bucket rate limiter keyed by string (client IP, conversation id),
//! and the cap on sockets open at once per client IP.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use tokio::time::Instant;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// A keyed token bucket: `per_minute` refill, burst of the same size. 0 disables it.
#[derive(Debug)]
pub struct RateLimiter {
    per_sec: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

const MAX_KEYS: usize = 200_000;

impl RateLimiter {
    /// New limiter.
    pub fn new(per_minute: u32) -> Self {
        RateLimiter { per_sec: per_minute as f64 / 60.0, burst: per_minute as f64, buckets: Mutex::new(HashMap::new()) }
    }

    /// The time one token takes to come back (ms): the pace a client held
    /// by this limit can keep. 0 when the limit is off.
    pub fn interval_ms(&self) -> u64 {
        if self.per_sec > 0.0 { (1000.0 / self.per_sec).ceil() as u64 } else { 0 }
    }

    /// Takes one token for `key`; `Err(retry_after_ms)` when empty.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        if self.burst <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let Ok(mut map) = self.buckets.lock() else { return Ok(()) };
        if map.len() >= MAX_KEYS {
            let (per_sec, burst) = (self.per_sec, self.burst);
            map.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec < burst);
        }
        let b = map.entry(key.to_string()).or_insert(Bucket { tokens: self.burst, at: now });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * self.per_sec).min(self.burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err((((1.0 - b.tokens) / self.per_sec) * 1000.0).ceil() as u64)
        }
    }
}

/// Visitor sockets open at once per client IP. The per-IP rate limit
/// bounds how fast sockets open, not how many stay: with session tokens
/// (one `POST /v1/conversations` each) one address could hold thousands,
/// each with its task and buffers. 0 disables it.
#[derive(Debug)]
pub struct SocketCap {
    max: u32,
    open: Mutex<HashMap<IpAddr, u32>>,
}

/// One open socket's place under the cap; given back when dropped.
#[derive(Debug)]
pub struct IpSlot(Option<(Arc<SocketCap>, IpAddr)>);

impl SocketCap {
    /// A cap of `max` per IP.
    pub fn new(max: u32) -> Arc<Self> {
        Arc::new(SocketCap { max, open: Mutex::new(HashMap::new()) })
    }

    /// A place for one more socket from `ip`, or `None` when it has `max`.
    pub fn take(self: &Arc<Self>, ip: IpAddr) -> Option<IpSlot> {
        if self.max == 0 {
            return Some(IpSlot(None));
        }
        let mut open = self.open.lock().ok()?;
        let n = open.entry(ip).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(IpSlot(Some((self.clone(), ip))))
    }

    /// Sockets open from `ip`.
    pub fn open(&self, ip: IpAddr) -> u32 {
        self.open.lock().map_or(0, |m| m.get(&ip).copied().unwrap_or(0))
    }
}

impl Drop for IpSlot {
    fn drop(&mut self) {
        let Some((cap, ip)) = self.0.take() else { return };
        let Ok(mut open) = cap.open.lock() else { return };
        if let Some(n) = open.get_mut(&ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn refills() {
        let l = RateLimiter::new(60);
        for _ in 0..60 {
            assert!(l.check("a").is_ok());
        }
        let retry = l.check("a").unwrap_err();
        assert!(retry > 0 && retry <= 1000);
        assert!(l.check("b").is_ok());
        tokio::time::advance(std::time::Duration::from_millis(1001)).await;
        assert!(l.check("a").is_ok());
        assert!(RateLimiter::new(0).check("x").is_ok());
    }

    #[test]
    fn sockets_per_ip_are_capped_and_given_back() {
        let cap = SocketCap::new(2);
        let (a, b): (IpAddr, IpAddr) = ("203.0.113.1".parse().unwrap(), "203.0.113.2".parse().unwrap());
        let one = cap.take(a).expect("first");
        let two = cap.take(a).expect("second");
        assert!(cap.take(a).is_none(), "a third from the same address");
        assert!(cap.take(b).is_some(), "another address has its own");
        drop(one);
        assert_eq!(cap.open(a), 1);
        let three = cap.take(a).expect("a place was given back");
        drop((two, three));
        assert_eq!(cap.open(a), 0);
        assert!(cap.open.lock().unwrap().is_empty(), "no entry left for a quiet address");
        let off = SocketCap::new(0);
        assert!((0..1000).all(|_| off.take(a).map(std::mem::forget).is_some()));
    }
}
