//! Replays the committed fuzz corpus (`fuzz/corpus/store_layout`) through the
//! entry point the cargo-fuzz target calls.
//!
//! `cargo test -p session-store --test fuzz_corpus -- --ignored` writes any
//! missing hand-made seed inputs (files named `seed-*`): an inline value, a
//! segment pointer, a tail and a pending-wipe list in their stored forms.

#![allow(clippy::unwrap_used)]

use session_store::fuzz;
use session_testkit::{replay_corpus, write_seed};

#[test]
fn replay_store_layout() {
    assert!(replay_corpus("store_layout", fuzz::layout) >= 4);
}

#[test]
#[ignore = "regenerates the committed seed corpus"]
fn write_seed_corpus() {
    // The stored forms, as the decoders see them.
    let seed = |name: &str, selector: u8, bytes: &[u8]| {
        let mut data = vec![selector];
        data.extend_from_slice(bytes);
        fuzz::layout(&data);
        write_seed("store_layout", name, &data);
    };
    seed("inline-value", 0, b"\x00small value");
    let mut pointer = vec![1u8];
    pointer.extend_from_slice(&1u32.to_le_bytes());
    pointer.extend_from_slice(&0u64.to_le_bytes());
    pointer.extend_from_slice(&4400u32.to_le_bytes());
    pointer.extend_from_slice(&0x1234_5678_9abc_def0u64.to_le_bytes());
    seed("pointer", 0, &pointer);
    let mut tail = 1u32.to_le_bytes().to_vec();
    tail.extend_from_slice(&4400u64.to_le_bytes());
    seed("tail", 1, &tail);
    seed("wipe-list", 2, &pointer[1..17].repeat(2));
}
