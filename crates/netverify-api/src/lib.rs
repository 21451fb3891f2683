#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

// The generated client: `cargo xtask generate` writes it from the spec, already
// formatted (prettyplease); rustfmt must leave it alone or the drift check fails.
#[allow(missing_docs, clippy::all, clippy::pedantic)]
#[rustfmt::skip]
mod generated;

// The spec's documented samples, written by `cargo xtask generate`.
#[rustfmt::skip]
mod generated_samples;

mod accepted_response;
mod country_code;
mod decode;
mod hooks;
mod id_type;
mod operation;

pub use accepted_response::AcceptedIdTypesResponse;
pub use country_code::{CountryCode, InvalidCountryCode};
pub use generated::*;
pub use hooks::{ClientContext, ResponseTooLarge};
pub use id_type::IdType;
pub use operation::{ListKey, MissingList, Operation};
