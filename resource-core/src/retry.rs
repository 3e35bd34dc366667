//! When to retry a request and how long to wait first (DESIGN 5.4).

use std::time::Duration;

use crate::transport::{Response, TransportError, TransportErrorKind};

/// Retry rules of Stripe's official SDKs.
///
/// A request is retried while fewer than `1 + max_network_retries` attempts were made and:
/// 1. the attempt got no response (connection error, reset or timeout; not a malformed or
///    oversized response, which would only come back again); else
/// 2. the response says `Stripe-Should-Retry: false` (never) or `true` (always); else
/// 3. the status is 409 or at least 500.
///
/// The wait before retry `n` (1-based) is `max(initial, min(initial * 2^(n-1), max) * U(0.5, 1))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a failed attempt may be retried (0 disables retries).
    pub max_network_retries: u32,
    /// The first delay, and the floor of every delay.
    pub initial_delay: Duration,
    /// The cap of the exponential part.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_network_retries: 2,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// Whether to send the request again after `attempts` attempts ended with `outcome`.
    #[must_use]
    pub fn should_retry(&self, attempts: u32, outcome: &Result<Response, TransportError>) -> bool {
        match outcome {
            Ok(response) => self.should_retry_response(attempts, response),
            Err(error) => self.should_retry_error(attempts, error),
        }
    }

    /// Whether to send the request again after `attempts` attempts, the last answered `response`.
    pub(crate) fn should_retry_response(&self, attempts: u32, response: &Response) -> bool {
        if attempts > self.max_network_retries {
            return false;
        }
        match response.header("Stripe-Should-Retry") {
            Some("false") => false,
            Some("true") => true,
            _ => response.status == 409 || response.status >= 500,
        }
    }

    /// Whether to send the request again after `attempts` attempts, the last with no answer.
    pub(crate) fn should_retry_error(&self, attempts: u32, error: &TransportError) -> bool {
        // A malformed or oversized answer would only come back again.
        attempts <= self.max_network_retries && error.kind() != TransportErrorKind::Protocol
    }

    /// The wait before retry number `retry` (1-based), given a uniform sample `jitter` in `[0, 1)`.
    #[must_use]
    pub fn delay(&self, retry: u32, jitter: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let backoff = self
            .initial_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay);
        let scaled = backoff.mul_f64(0.5 + jitter.clamp(0.0, 1.0) / 2.0);
        scaled.max(self.initial_delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, should_retry: Option<&str>) -> Result<Response, TransportError> {
        let headers = should_retry
            .map(|v| vec![("Stripe-Should-Retry".to_owned(), v.to_owned())])
            .unwrap_or_default();
        Ok(Response {
            status,
            headers,
            body: Vec::new(),
        })
    }

    #[test]
    fn retries_by_status_and_header_in_order() {
        let policy = RetryPolicy::default();
        assert!(policy.should_retry(1, &response(500, None)));
        assert!(policy.should_retry(1, &response(503, None)));
        assert!(policy.should_retry(1, &response(409, None)));
        assert!(!policy.should_retry(1, &response(429, None)));
        assert!(!policy.should_retry(1, &response(400, None)));
        assert!(!policy.should_retry(1, &response(200, None)));
        assert!(policy.should_retry(1, &response(429, Some("true"))));
        assert!(policy.should_retry(1, &response(400, Some("true"))));
        assert!(!policy.should_retry(1, &response(500, Some("false"))));
        assert!(!policy.should_retry(1, &response(409, Some("false"))));
        for kind in [
            TransportErrorKind::Io,
            TransportErrorKind::Connect,
            TransportErrorKind::Timeout,
        ] {
            assert!(policy.should_retry(1, &Err(TransportError::new(kind, "no response"))));
        }
        let oversized = Err(TransportError::new(
            TransportErrorKind::Protocol,
            "body over the limit",
        ));
        assert!(!policy.should_retry(1, &oversized));
    }

    #[test]
    fn stops_after_one_plus_max_retries_attempts() {
        let policy = RetryPolicy {
            max_network_retries: 2,
            ..RetryPolicy::default()
        };
        assert!(policy.should_retry(2, &response(500, None)));
        assert!(!policy.should_retry(3, &response(500, None)));
        let none = RetryPolicy {
            max_network_retries: 0,
            ..RetryPolicy::default()
        };
        assert!(!none.should_retry(1, &response(500, None)));
        assert!(!none.should_retry(1, &response(500, Some("true"))));
    }

    #[test]
    fn delay_is_jittered_exponential_between_half_a_second_and_five() {
        let policy = RetryPolicy::default();
        let ms = |retry, jitter| policy.delay(retry, jitter).as_millis();
        assert_eq!(ms(1, 0.0), 500);
        assert_eq!(ms(1, 0.999), 500);
        assert_eq!(ms(2, 0.0), 500);
        assert_eq!(ms(2, 1.0), 1000);
        assert_eq!(ms(3, 0.5), 1500);
        assert_eq!(ms(5, 1.0), 5000);
        assert_eq!(ms(5, 0.0), 2500);
        assert_eq!(ms(40, 1.0), 5000);
    }
}
