//! Reconnect delays: exponential, capped, with jitter so that a server
//! restart is not met by every client at the same instant.

/// First retry delay.
pub const BASE_MS: u64 = 500;
/// Longest delay between two attempts.
pub const CAP_MS: u64 = 30_000;

/// Attempt counter for one connection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backoff {
    attempt: u32,
}

impl Backoff {
    /// The delay before the next attempt, given `random` in `[0, 1)`:
    /// half the exponential step plus a random part of the other half
    /// ("equal jitter"), so delays grow but never drop to zero.
    pub fn next_delay(&mut self, random: f64) -> u64 {
        let exp = BASE_MS.saturating_mul(1u64 << self.attempt.min(16)).min(CAP_MS);
        self.attempt = self.attempt.saturating_add(1);
        let r = if random.is_finite() { random.clamp(0.0, 0.999_999) } else { 0.5 };
        exp / 2 + (r * (exp / 2) as f64) as u64
    }

    /// Attempts made since the last success.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// A connection succeeded: start from the base delay again.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn grows_then_caps() {
        let mut b = Backoff::default();
        let d: Vec<u64> = (0..10).map(|_| b.next_delay(0.0)).collect();
        assert_eq!(&d[..4], &[250, 500, 1000, 2000]);
        assert_eq!(d[9], CAP_MS / 2);
        b.reset();
        assert_eq!(b.next_delay(0.999_999), 499);
    }

    proptest! {
        #[test]
        fn always_within_bounds(randoms in proptest::collection::vec(any::<f64>(), 1..40)) {
            let mut b = Backoff::default();
            for r in randoms {
                let d = b.next_delay(r);
                prop_assert!((BASE_MS / 2..=CAP_MS).contains(&d));
            }
        }
    }
}
