//! The JSON-RPC 2.0 service of `specs/rpc.md`, independent of HTTP: feed it a
//! request body, get a response body.

pub mod http;
pub mod metrics;
pub mod params;
pub mod render;

use std::sync::Arc;

use futures_util::future::join_all;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use session_core::Id;

use crate::chain::Chain;
use crate::error::Error;
use crate::exec::Outcome;
use crate::query::SessionInfo;
use crate::tx::{AckMessages, CloseSession, CreateSession, SendMessage, Tx};
use params::*;
use render::Reply;

pub use metrics::Metrics;

/// The VM's ID: CB58 of `sessionvm` zero-padded to 32 bytes.
pub const VM_ID: &str = "speKUgLBX6WRD5cfGeEfLa43LxTXUBckvtv4td6F3eTXvRP48";
/// Software version reported by `Info`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Most requests in one batch.
pub const MAX_BATCH: usize = 256;

/// A JSON-RPC failure: code, message and optional data.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    /// JSON-RPC code.
    pub code: i64,
    /// Short message; never echoes secrets or ciphertexts.
    pub message: String,
    /// Extra data (`txId` for `-32007`).
    pub data: Option<Value>,
}

impl RpcError {
    fn new(code: i64, message: &str) -> Self {
        Self {
            code,
            message: message.to_owned(),
            data: None,
        }
    }
}

impl From<Error> for RpcError {
    fn from(e: Error) -> Self {
        let data = match &e {
            Error::NotYetAccepted { tx_id } => Some(json!({ "txId": tx_id.to_cb58() })),
            _ => None,
        };
        let message = match e.rpc_code() {
            -32603 => "internal error".to_owned(),
            _ => e.to_string(),
        };
        Self {
            code: e.rpc_code(),
            message,
            data,
        }
    }
}

type RpcResult = Result<Value, RpcError>;

/// The service: a chain plus metrics.
#[derive(Clone, Debug)]
pub struct Service {
    chain: Arc<Chain>,
    metrics: Arc<Metrics>,
}

impl Service {
    /// Serves `chain`.
    pub fn new(chain: Arc<Chain>, metrics: Arc<Metrics>) -> Self {
        Self { chain, metrics }
    }

    /// The chain served.
    pub fn chain(&self) -> &Arc<Chain> {
        &self.chain
    }

    /// The metrics kept.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Handles one HTTP body: a request or a batch. Returns the response body,
    /// or `None` when there is nothing to send back (notifications only).
    pub async fn handle_body(&self, body: &[u8]) -> Option<Vec<u8>> {
        let value: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(_) => {
                return Some(error_bytes(
                    Value::Null,
                    RpcError::new(-32700, "parse error"),
                ));
            }
        };
        match value {
            Value::Array(items) if items.is_empty() => Some(error_bytes(
                Value::Null,
                RpcError::new(-32600, "empty batch"),
            )),
            Value::Array(items) if items.len() > MAX_BATCH => Some(error_bytes(
                Value::Null,
                RpcError::new(-32600, "batch too large (at most 256 requests)"),
            )),
            Value::Array(items) => {
                // Run the calls together: state-changing ones wait on the same block.
                let calls = items.into_iter().map(|item| self.handle_one(item));
                let parts: Vec<Vec<u8>> = join_all(calls).await.into_iter().flatten().collect();
                if parts.is_empty() {
                    return None;
                }
                let mut out =
                    Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 1);
                out.push(b'[');
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(part);
                }
                out.push(b']');
                Some(out)
            }
            single => self.handle_one(single).await,
        }
    }

    /// Handles one request object; `None` for a notification.
    async fn handle_one(&self, request: Value) -> Option<Vec<u8>> {
        let Value::Object(mut obj) = request else {
            return Some(error_bytes(
                Value::Null,
                RpcError::new(-32600, "invalid request"),
            ));
        };
        let is_notification = !obj.contains_key("id");
        let id = obj.remove("id").unwrap_or(Value::Null);
        let valid_id = matches!(id, Value::Null | Value::String(_) | Value::Number(_));
        let method = match obj.remove("method") {
            Some(Value::String(m)) if valid_id => m,
            _ => return Some(error_bytes(id, RpcError::new(-32600, "invalid request"))),
        };
        if obj.get("jsonrpc").is_some_and(|v| v != "2.0") {
            return Some(error_bytes(
                id,
                RpcError::new(-32600, "jsonrpc must be \"2.0\""),
            ));
        }
        let params = obj.remove("params").unwrap_or(Value::Null);
        let result = self.call(&method, params).await;
        self.metrics
            .record_call(&method, result.as_ref().err().map(|e| e.code));
        if is_notification {
            return None;
        }
        Some(match result {
            Ok(reply) => {
                let mut out = Vec::new();
                render::success(&mut out, &reply, &id);
                out
            }
            Err(e) => error_bytes(id, e),
        })
    }

    /// Runs one method.
    pub async fn call(&self, method: &str, params: Value) -> Result<Reply, RpcError> {
        let name = method.strip_prefix("sessionvm.").unwrap_or("");
        let value = match name {
            "Info" => {
                parse::<NoParams>(params)?;
                Ok(self.info())
            }
            "Health" => {
                parse::<NoParams>(params)?;
                self.health()
            }
            "CreateSession" => self.create_session(parse(params)?).await,
            "GetSession" => self.get_session(parse(params)?),
            "SendMessage" => self.send_message(parse(params)?).await,
            "GetMessages" => return self.get_messages(parse(params)?),
            "AckMessages" => self.ack_messages(parse(params)?).await,
            "CloseSession" => self.close_session(parse(params)?).await,
            _ => Err(RpcError::new(-32601, "method not found")),
        };
        value.map(Reply::Value)
    }

    fn info(&self) -> Value {
        let reader = self.chain.reader();
        let tip = self.chain.tip();
        json!({
            "chainId": reader.chain_id().to_cb58(),
            "vmId": VM_ID,
            "version": VERSION,
            "height": tip.height,
            "lastAccepted": tip.id.to_cb58(),
            "config": reader.config(),
        })
    }

    /// `Health` as a JSON value.
    pub fn health(&self) -> RpcResult {
        let counters = self.chain.reader().counters()?;
        Ok(json!({
            "healthy": true,
            "sessions": counters.open_sessions,
            "channels": 0,
            "pending": self.chain.pending_count(),
            "height": self.chain.tip().height,
        }))
    }

    async fn create_session(&self, p: CreateSessionParams) -> RpcResult {
        let participants = p
            .participants
            .iter()
            .map(|s| parse_id(s, "participant"))
            .collect::<Result<Vec<_>, _>>()?;
        if p.public_keys.len() != participants.len() {
            return Err(Error::params("one public key per participant").into());
        }
        let public_keys = p
            .public_keys
            .iter()
            .map(|k| parse_public_key(k))
            .collect::<Result<Vec<_>, _>>()?;
        let tx = Tx::CreateSession(CreateSession {
            participants,
            public_keys,
            nonce: p.nonce,
            signature: parse_signature(&p.signature)?,
        });
        match self.chain.submit(tx).await? {
            Outcome::Created {
                session_id,
                expires,
            } => Ok(json!({ "sessionId": session_id.to_cb58(), "expires": expires })),
            _ => Err(Error::Corrupt("unexpected outcome".into()).into()),
        }
    }

    fn get_session(&self, p: GetSessionParams) -> RpcResult {
        let id = parse_id(&p.session_id, "sessionId")?;
        let info = self.chain.session(&id)?.ok_or(Error::UnknownSession)?;
        Ok(json!({ "session": session_json(&info) }))
    }

    async fn send_message(&self, p: SendMessageParams) -> RpcResult {
        let session_id = parse_id(&p.session_id, "sessionId")?;
        let sender = parse_id(&p.sender, "sender")?;
        let max = self.chain.reader().config().max_message_size as usize;
        let ciphertext = parse_hex(&p.ciphertext, "ciphertext", max)?;
        let signature = parse_signature(&p.signature)?;
        let tx = Tx::SendMessage(SendMessage {
            session_id,
            sender,
            ciphertext,
            signature,
        });
        match self.chain.submit(tx).await? {
            Outcome::Sent {
                message_id,
                sequence,
            } => Ok(json!({ "messageId": message_id.to_cb58(), "sequence": sequence })),
            _ => Err(Error::Corrupt("unexpected outcome".into()).into()),
        }
    }

    fn get_messages(&self, p: GetMessagesParams) -> Result<Reply, RpcError> {
        let id = parse_id(&p.session_id, "sessionId")?;
        let limit = u32::try_from(p.limit)
            .ok()
            .filter(|l| (1..=1000).contains(l))
            .ok_or_else(|| Error::params("limit must be between 1 and 1000"))?;
        if !self.chain.session_exists(&id)? {
            return Err(Error::UnknownSession.into());
        }
        let messages = self.chain.reader().messages(&id, p.after, limit)?;
        let next = messages.last().map_or(p.after, |m| m.sequence);
        Ok(Reply::Raw(render::messages(&messages, next)))
    }

    async fn ack_messages(&self, p: AckMessagesParams) -> RpcResult {
        let tx = Tx::AckMessages(AckMessages {
            session_id: parse_id(&p.session_id, "sessionId")?,
            sender: parse_id(&p.sender, "sender")?,
            up_to: p.up_to,
            signature: parse_signature(&p.signature)?,
        });
        self.chain.submit(tx).await?;
        Ok(json!({ "success": true }))
    }

    async fn close_session(&self, p: CloseSessionParams) -> RpcResult {
        let tx = Tx::CloseSession(CloseSession {
            session_id: parse_id(&p.session_id, "sessionId")?,
            sender: parse_id(&p.sender, "sender")?,
            signature: parse_signature(&p.signature)?,
        });
        self.chain.submit(tx).await?;
        Ok(json!({ "success": true }))
    }
}

/// Decodes params given as an object, a one-element array holding the object,
/// or nothing (as `{}`).
fn parse<T: DeserializeOwned>(params: Value) -> Result<T, RpcError> {
    let obj = match params {
        Value::Null => Value::Object(Default::default()),
        Value::Array(mut a) if a.len() == 1 => a.remove(0),
        Value::Array(a) if a.is_empty() => Value::Object(Default::default()),
        other => other,
    };
    if !obj.is_object() {
        return Err(RpcError::new(-32602, "params must be an object"));
    }
    serde_json::from_value(obj).map_err(|e| RpcError::new(-32602, &params_message(&e)))
}

/// A short description of a params error that never repeats the caller's values.
fn params_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix("missing field `") {
        // Our own field names only.
        let field: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        return format!("invalid params: missing field {field}");
    }
    if text.starts_with("unknown field") {
        return "invalid params: unknown field".to_owned();
    }
    if text.starts_with("invalid type") || text.starts_with("invalid value") {
        return "invalid params: a field has the wrong type or value".to_owned();
    }
    "invalid params".to_owned()
}

fn error_bytes(id: Value, e: RpcError) -> Vec<u8> {
    let mut err = json!({ "code": e.code, "message": e.message });
    if let Some(data) = e.data {
        err["data"] = data;
    }
    let mut out = Vec::new();
    render::write_value(
        &mut out,
        &json!({ "jsonrpc": "2.0", "error": err, "id": id }),
    );
    out
}

fn session_json(s: &SessionInfo) -> Value {
    let acks: serde_json::Map<String, Value> = s
        .participants
        .iter()
        .zip(&s.acks)
        .map(|(p, a)| (p.to_cb58(), json!(a)))
        .collect();
    json!({
        "id": s.id.to_cb58(),
        "participants": s.participants.iter().map(Id::to_cb58).collect::<Vec<_>>(),
        "publicKeys": s.public_keys.iter().map(|k| hex::encode(k.to_bytes())).collect::<Vec<_>>(),
        "created": s.created,
        "expires": s.expires,
        "status": s.status,
        "messageCount": s.message_count,
        "acks": acks,
    })
}
