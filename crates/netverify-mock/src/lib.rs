#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod catalogue;
mod fault;
mod server;

pub use catalogue::{ACCEPTED_FILE, Catalogue, CatalogueError, SUPPORTED_FILE};
pub use fault::{Fault, FaultQueue};
pub use server::{
    ACCEPTED_PATH, AcceptedKey, DEFAULT_SECRET, DEFAULT_TOKEN, MockServer, MockServerBuilder,
    RECORDED_REQUESTS_LIMIT, RecordedRequest, SUPPORTED_PATH,
};
