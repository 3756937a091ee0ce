//! Writes JSON-RPC responses straight into bytes.
//!
//! Most replies are small and built as [`serde_json::Value`]s. `GetMessages` is
//! the exception: a page of 100 one-KiB messages is close to a megabyte of hex,
//! so it is written directly into the output buffer — hex by SIMD, no string
//! escaping needed (every value written here is ASCII hex, CB58 or a number) and
//! no intermediate tree.

use serde_json::Value;
use session_core::Id;

use crate::query::StoredMessage;

/// A method's successful result, ready to be written.
#[derive(Debug)]
pub enum Reply {
    /// A JSON value.
    Value(Value),
    /// Bytes that are already one valid JSON value.
    Raw(Vec<u8>),
}

impl From<Value> for Reply {
    fn from(v: Value) -> Self {
        Self::Value(v)
    }
}

/// `{"jsonrpc":"2.0","result":…,"id":…}` appended to `out`.
pub fn success(out: &mut Vec<u8>, result: &Reply, id: &Value) {
    out.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"result\":");
    match result {
        Reply::Value(v) => write_value(out, v),
        Reply::Raw(raw) => out.extend_from_slice(raw),
    }
    out.extend_from_slice(b",\"id\":");
    write_value(out, id);
    out.push(b'}');
}

/// Appends a JSON value.
pub fn write_value(out: &mut Vec<u8>, v: &Value) {
    serde_json::to_writer(&mut *out, v).expect("a JSON value always serializes into memory");
}

/// The result of `GetMessages`: `{"messages":[…],"next":N}`.
pub fn messages(list: &[StoredMessage], next: u64) -> Vec<u8> {
    let per_message: usize = list
        .iter()
        .map(|m| 2 * (m.record.ciphertext.len() + m.record.signature.len()) + 400)
        .sum();
    let mut out = Vec::with_capacity(per_message + 64);
    let mut ids = IdCache::default();
    out.extend_from_slice(b"{\"messages\":[");
    for (i, m) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"id\":");
        cb58(&mut out, &m.record.id);
        out.extend_from_slice(b",\"sessionId\":");
        ids.write(&mut out, &m.session_id);
        out.extend_from_slice(b",\"sender\":");
        ids.write(&mut out, &m.record.sender);
        out.extend_from_slice(b",\"sequence\":");
        number(&mut out, m.sequence);
        out.extend_from_slice(b",\"ciphertext\":");
        hex(&mut out, &m.record.ciphertext);
        out.extend_from_slice(b",\"signature\":");
        hex(&mut out, &m.record.signature);
        out.extend_from_slice(b",\"timestamp\":");
        number(&mut out, m.record.timestamp);
        out.extend_from_slice(b",\"height\":");
        number(&mut out, m.record.height);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"next\":");
    number(&mut out, next);
    out.push(b'}');
    out
}

fn number(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// A quoted lower-case hex string.
fn hex(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    let start = out.len();
    out.resize(start + 2 * bytes.len(), 0);
    const_hex::encode_to_slice(bytes, &mut out[start..])
        .expect("the slice is exactly twice the input's length");
    out.push(b'"');
}

/// A quoted CB58 ID (base58 alphabet: nothing to escape).
fn cb58(out: &mut Vec<u8>, id: &Id) {
    out.push(b'"');
    out.extend_from_slice(id.to_cb58().as_bytes());
    out.push(b'"');
}

/// Session and sender IDs repeat on every message of a page; CB58 costs a
/// microsecond or two each, so encode each distinct one once.
#[derive(Default)]
struct IdCache(Vec<(Id, String)>);

impl IdCache {
    fn write(&mut self, out: &mut Vec<u8>, id: &Id) {
        let text = match self.0.iter().position(|(k, _)| k == id) {
            Some(i) => &self.0[i].1,
            None => {
                self.0.push((*id, id.to_cb58()));
                &self.0[self.0.len() - 1].1
            }
        };
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::MessageRecord;
    use serde_json::json;

    fn message(seq: u64, sender: u8) -> StoredMessage {
        StoredMessage {
            session_id: Id::new([7; 32]),
            sequence: seq,
            record: MessageRecord {
                id: Id::new([seq as u8; 32]),
                sender: Id::new([sender; 32]),
                timestamp: 1_700_000_000 + seq,
                height: seq + 1,
                ciphertext: vec![0xAB, seq as u8, 0x00],
                signature: vec![0x01; 5],
            },
        }
    }

    #[test]
    fn messages_match_the_value_form() {
        let list = [message(1, 1), message(2, 2), message(3, 1)];
        let raw = messages(&list, 3);
        let parsed: Value = serde_json::from_slice(&raw).unwrap();
        let expected: Vec<Value> = list
            .iter()
            .map(|m| {
                json!({
                    "id": m.record.id.to_cb58(),
                    "sessionId": m.session_id.to_cb58(),
                    "sender": m.record.sender.to_cb58(),
                    "sequence": m.sequence,
                    "ciphertext": hex::encode(&m.record.ciphertext),
                    "signature": hex::encode(&m.record.signature),
                    "timestamp": m.record.timestamp,
                    "height": m.record.height,
                })
            })
            .collect();
        assert_eq!(parsed, json!({ "messages": expected, "next": 3 }));
    }

    #[test]
    fn an_empty_page_is_valid_json() {
        let parsed: Value = serde_json::from_slice(&messages(&[], 9)).unwrap();
        assert_eq!(parsed, json!({ "messages": [], "next": 9 }));
    }

    #[test]
    fn success_wraps_raw_and_value_results() {
        let mut out = Vec::new();
        success(&mut out, &Reply::Raw(b"[1,2]".to_vec()), &json!("a\"b"));
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v, json!({"jsonrpc":"2.0","result":[1,2],"id":"a\"b"}));
        out.clear();
        success(&mut out, &Reply::Value(json!({"ok":true})), &json!(7));
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v, json!({"jsonrpc":"2.0","result":{"ok":true},"id":7}));
    }
}
