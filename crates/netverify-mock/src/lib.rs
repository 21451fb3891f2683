#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod catalogue;
mod fault;
mod fixture;
mod recorder;
mod response;
mod rules;
pub mod scripted;
mod server;

pub use catalogue::{ACCEPTED_FILE, Catalogue, CatalogueError, SUPPORTED_FILE};
pub use fault::{Fault, FaultQueue};
pub use fixture::{Answer, Fixture};
pub use netverify_api::ListKey;
pub use recorder::{RECORDED_REQUESTS_LIMIT, RecordedRequest};
pub use server::{
    ACCEPTED_PATH, DEFAULT_SECRET, DEFAULT_TOKEN, MockServer, MockServerBuilder, SUPPORTED_PATH,
};
