#![allow(missing_docs)]
//! Store benchmarks (filled in below).

fn main() {}
