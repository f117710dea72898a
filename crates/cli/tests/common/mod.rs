//! Helpers shared by the CLI test binaries.

pub mod lab;
