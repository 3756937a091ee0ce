#![allow(missing_docs, clippy::unwrap_used)]
//! Placeholder until the criterion benches land.
fn main() {}
