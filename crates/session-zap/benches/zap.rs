#![allow(missing_docs, clippy::unwrap_used)]
//! ZAP benches (placeholder).
fn main() {}
