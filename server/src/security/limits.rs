//! Token-bucket rate limiter keyed by string (client IP, conversation id).

use std::collections::HashMap;
use std::sync::Mutex;

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
}
