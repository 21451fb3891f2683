//! The commands, one module each.

pub mod check;
pub mod completions;
pub mod diff;
pub mod list;
