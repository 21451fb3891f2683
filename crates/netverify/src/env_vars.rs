//! The environment variables that [`ClientBuilder::from_env`](crate::ClientBuilder::from_env)
//! reads, for tools that resolve the same settings from their own flags
//! (see [`ClientBuilder::from_env_with`](crate::ClientBuilder::from_env_with)).
//!
//! A module of its own, below everything else: the errors name these
//! variables, and the configuration reads them.

/// The API token (the Basic-auth user-id).
pub const API_TOKEN: &str = "JUMIO_API_TOKEN";
/// The API secret (the Basic-auth password).
pub const API_SECRET: &str = "JUMIO_API_SECRET";
/// `us`, `eu` or `sgp`, in any case.
pub const REGION: &str = "JUMIO_REGION";
/// A custom base URL instead of a region's host.
pub const BASE_URL: &str = "JUMIO_BASE_URL";
/// Your company and application, such as `Acme KYC/1.0`.
pub const USER_AGENT: &str = "JUMIO_USER_AGENT";
/// The timeout of each attempt, in seconds.
pub const TIMEOUT: &str = "JUMIO_TIMEOUT";
/// Attempts after the first; `0` turns retries off.
pub const RETRIES: &str = "JUMIO_RETRIES";
/// The deadline of a whole call (every attempt, backoff and retry), in seconds.
pub const DEADLINE: &str = "JUMIO_DEADLINE";
