//! Key namespaces: the prefix each kind of record is stored under.
//!
//! A key is a namespace followed by its parts, concatenated without separators. Use
//! fixed-width parts (32-byte IDs, big-endian integers) so that keys are unambiguous and
//! sort in numeric order; a variable-length part belongs last.
//!
//! ```
//! use session_store::ns;
//!
//! let id = [7u8; 32];
//! let key = ns::key(ns::STEP, &[&id, &3u32.to_be_bytes()]);
//! assert_eq!(key.len(), ns::STEP.len() + 32 + 4);
//! assert_eq!(ns::strip(ns::STEP, &key), Some(&key[ns::STEP.len()..]));
//! ```

/// Sessions of the daemon's session model.
pub const SESSION: &[u8] = b"session:";
/// Session steps.
pub const STEP: &[u8] = b"step:";
/// Oracle requests and records.
pub const ORACLE: &[u8] = b"oracle:";
/// Delivery receipts.
pub const RECEIPT: &[u8] = b"receipt:";
/// Threshold attestations.
pub const ATTEST: &[u8] = b"attest:";
/// Service-node registry.
pub const NODE: &[u8] = b"node:";
/// Epochs and their beacons.
pub const EPOCH: &[u8] = b"epoch:";
/// SessionVM state (blocks, accounts, messaging sessions, ...).
pub const VM: &[u8] = b"vm:";

/// Every namespace above; none is a prefix of another.
pub const ALL: &[&[u8]] = &[SESSION, STEP, ORACLE, RECEIPT, ATTEST, NODE, EPOCH, VM];

/// `ns` followed by every part, concatenated.
pub fn key(ns: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let len = ns.len() + parts.iter().map(|p| p.len()).sum::<usize>();
    let mut key = Vec::with_capacity(len);
    key.extend_from_slice(ns);
    for part in parts {
        key.extend_from_slice(part);
    }
    key
}

/// The rest of `key` after the namespace `ns`, or `None` if `key` is not in `ns`.
pub fn strip<'k>(ns: &[u8], key: &'k [u8]) -> Option<&'k [u8]> {
    key.strip_prefix(ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_namespace_prefixes_another() {
        for a in ALL {
            for b in ALL {
                if a != b {
                    assert!(!b.starts_with(a), "{a:?} prefixes {b:?}");
                }
            }
        }
    }

    #[test]
    fn key_concatenates() {
        assert_eq!(key(VM, &[]), b"vm:".to_vec());
        assert_eq!(key(NODE, &[b"ab", b"", b"c"]), b"node:abc".to_vec());
        assert_eq!(strip(NODE, b"node:abc"), Some(&b"abc"[..]));
        assert_eq!(strip(NODE, b"nod"), None);
    }
}
