//! When and how long to wait before trying a call again.

use std::time::{Duration, SystemTime};

use crate::error::Error;

/// How failed attempts are retried.
///
/// Both endpoints are idempotent GETs, so retrying is always safe. Retried:
/// connection failures, timeouts, bodies cut off on the way, 429, 502, 503
/// and 504 (see [`Error::is_retryable`]); never 400, 401, 403, 404 or 500
/// (an unexpected failure on Jumio's side, which a repeat usually meets
/// again). The wait before
/// retry `n` (1-based) is `initial_backoff * 2^(n-1)`, capped at
/// `max_backoff`, with jitter (a uniformly random value between half and all
/// of it), unless the server sent `Retry-After`: then its value is waited,
/// provided it is at most `max_retry_after`; a longer `Retry-After` ends the
/// retries and the error reports it.
///
/// ```
/// use std::time::Duration;
/// let policy = netverify::RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(100));
/// assert_eq!(policy.attempt_limit(), 5);
/// assert_eq!(netverify::RetryPolicy::none().attempt_limit(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts in all; backoff from 200 ms up to 5 s; `Retry-After`
    /// honoured up to 30 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries: one attempt.
    ///
    /// ```
    /// let policy = netverify::RetryPolicy::none();
    /// assert_eq!(policy.attempt_limit(), 1);
    /// ```
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts in all, the first included (at least 1).
    ///
    /// ```
    /// let policy = netverify::RetryPolicy::default().max_attempts(5);
    /// assert_eq!(policy.attempt_limit(), 5);
    /// assert_eq!(netverify::RetryPolicy::default().max_attempts(0).attempt_limit(), 1);
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the wait before the first retry.
    ///
    /// ```
    /// let policy = netverify::RetryPolicy::default()
    ///     .initial_backoff(std::time::Duration::from_millis(50));
    /// ```
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// Sets the longest backoff between attempts.
    ///
    /// ```
    /// let policy = netverify::RetryPolicy::default()
    ///     .max_backoff(std::time::Duration::from_secs(2));
    /// ```
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// Sets the longest `Retry-After` that is waited for; a longer one ends
    /// the retries.
    ///
    /// ```
    /// // Give up at once when Jumio asks for more than 5 s.
    /// let policy = netverify::RetryPolicy::default()
    ///     .max_retry_after(std::time::Duration::from_secs(5));
    /// ```
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The number of attempts in all.
    ///
    /// ```
    /// let policy = netverify::RetryPolicy::default().max_attempts(4);
    /// assert_eq!(policy.attempt_limit(), 4);
    /// ```
    pub fn attempt_limit(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait before attempt `attempt + 1`, or `None` to stop,
    /// after attempt `attempt` (1-based) failed with `error`.
    pub(crate) fn wait_after(&self, attempt: u32, error: &Error) -> Option<Duration> {
        if attempt >= self.max_attempts || !error.is_retryable() {
            return None;
        }
        if let Some(wait) = error.retry_after() {
            return (wait <= self.max_retry_after).then_some(wait);
        }
        let capped = exponential_backoff(self.initial_backoff, self.max_backoff, attempt);
        Some(capped.mul_f64(0.5 + fastrand::f64() / 2.0))
    }
}

/// `initial` after the first failure, doubled with each further one, at most
/// `max`: the one exponential backoff, for retries within a call (with
/// jitter) and for the cache's wait after failed refreshes.
pub(crate) fn exponential_backoff(initial: Duration, max: Duration, failures: u32) -> Duration {
    initial
        .saturating_mul(1u32 << failures.saturating_sub(1).min(16))
        .min(max)
}

/// Reads `Retry-After`: delay seconds, or an HTTP date (a date in the past
/// means "now").
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorBody;

    fn api(status: u16, retry_after: Option<Duration>) -> Error {
        Error::Api {
            status: reqwest::StatusCode::from_u16(status).unwrap(),
            retry_after,
            body: ErrorBody::Unparsed(String::new()),
            tracking_id: None,
            attempts: 1,
        }
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(7)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn only_transient_failures_are_retried_within_the_attempt_limit() {
        let policy = RetryPolicy::default();
        for status in [429, 502, 503, 504] {
            assert!(
                policy.wait_after(1, &api(status, None)).is_some(),
                "{status}"
            );
        }
        for status in [400, 401, 403, 404, 500] {
            assert_eq!(policy.wait_after(1, &api(status, None)), None, "{status}");
        }
        assert!(policy.wait_after(2, &api(503, None)).is_some());
        assert_eq!(policy.wait_after(3, &api(503, None)), None);
        assert_eq!(RetryPolicy::none().wait_after(1, &api(503, None)), None);
    }

    #[test]
    fn backoff_grows_with_jitter_and_retry_after_is_capped() {
        let policy = RetryPolicy::default()
            .max_attempts(10)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..100 {
            let first = policy.wait_after(1, &api(503, None)).unwrap();
            assert!(
                (Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first),
                "{first:?}"
            );
            let second = policy.wait_after(2, &api(503, None)).unwrap();
            assert!(
                (Duration::from_millis(100)..=Duration::from_millis(200)).contains(&second),
                "{second:?}"
            );
            let capped = policy.wait_after(9, &api(503, None)).unwrap();
            assert!(capped <= Duration::from_millis(350), "{capped:?}");
        }
        let asked = Some(Duration::from_secs(2));
        assert_eq!(policy.wait_after(1, &api(503, asked)), asked);
        let too_long = Some(Duration::from_secs(31));
        assert_eq!(
            RetryPolicy::default().wait_after(1, &api(503, too_long)),
            None
        );
    }
}
