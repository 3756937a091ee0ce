//! Fuzzing entry points, shared by the cargo-fuzz target `store_layout` in
//! `fuzz/` and by the `cargo test` that replays its corpus. Not part of the
//! stable API.
//!
//! Every decoder of bytes [`RedbStore`](crate::RedbStore) reads back from its
//! own files: a stored value (tag + inline bytes or segment pointer), the
//! committed segment tail and the pending-wipe list. None may panic, lengths
//! are bounded before use, and a decoded value re-encodes to the same bytes.

use crate::layout::{Extent, Stored, Tail};

/// Number of decoders [`layout`] dispatches over.
pub const TYPES: u8 = 3;

/// `data[0] % TYPES` selects the decoder; the rest is its input.
pub fn layout(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    match selector % TYPES {
        0 => match Stored::decode(bytes) {
            Ok(Stored::Inline(value)) => assert_eq!(value, &bytes[1..]),
            Ok(Stored::External(pointer)) => assert_eq!(pointer.encode().as_slice(), bytes),
            Err(_) => {}
        },
        1 => {
            if let Ok(tail) = Tail::decode(bytes) {
                assert_eq!(tail.encode().as_slice(), bytes);
            }
        }
        _ => {
            if let Ok(list) = Extent::decode_list(bytes) {
                assert_eq!(Extent::encode_list(&list), bytes);
            }
        }
    }
}
