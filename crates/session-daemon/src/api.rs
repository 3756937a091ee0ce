//! The client API: HTTP + JSON on a separate (loopback by default) port.
//! The contract is documented in `docs/sessiond.md`.
//!
//! - `GET /health`
//! - `POST /v1/sessions` `{"service", "tx"?, "steps": [...]}` → `{"session_id"}`
//! - `GET /v1/sessions/{id}` → the session's state, steps and roots
//! - `GET /v1/sessions/{id}/receipts` → receipts with inclusion proofs and
//!   the certificates (hex of their session-core encodings)
//!
//! Errors are `{"error": "..."}` with status 400 (bad input), 404 (unknown
//! session) or 503 (the daemon cannot take it now).

use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use session_core::codec::Versioned;
use session_core::{Id, ReceiptProof, StepKind, hash, receipts_tree};

use crate::error::Error;
use crate::service::{Daemon, SessionReport};

/// Largest request body, in bytes.
pub const MAX_BODY_LEN: usize = 1024 * 1024;

/// A step as clients write it.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepRequest {
    /// `{"kind": "read_external", "url": "http://..."}`
    ReadExternal {
        /// Where to read.
        url: String,
    },
    /// `{"kind": "compute", "function": "median", "args": "..."}`
    Compute {
        /// The function.
        function: String,
        /// Its arguments (text), optional.
        #[serde(default)]
        args: String,
    },
    /// `{"kind": "write_external", "url": "http://...", "payload": "..."}`
    WriteExternal {
        /// Where to write.
        url: String,
        /// What to write (text); empty writes the previous step's value.
        #[serde(default)]
        payload: String,
    },
}

impl From<StepRequest> for StepKind {
    fn from(s: StepRequest) -> StepKind {
        match s {
            StepRequest::ReadExternal { url } => StepKind::ReadExternal { url },
            StepRequest::Compute { function, args } => StepKind::Compute {
                function,
                args: args.into_bytes(),
            },
            StepRequest::WriteExternal { url, payload } => StepKind::WriteExternal {
                url,
                payload: payload.into_bytes(),
            },
        }
    }
}

/// `POST /v1/sessions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    /// The service: an ID (CB58 or hex) or any name (hashed to an ID).
    pub service: String,
    /// The client's transaction tag; the session ID derives from it. A fresh
    /// one is made if absent.
    #[serde(default)]
    pub tx: Option<String>,
    /// The steps, in order.
    pub steps: Vec<StepRequest>,
}

#[derive(Clone)]
struct AppState {
    daemon: Daemon,
    counter: std::sync::Arc<AtomicU64>,
}

/// The API's routes over `daemon`.
pub fn router(daemon: Daemon) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/v1/sessions", post(submit))
        .route("/v1/sessions/{id}", get(session))
        .route("/v1/sessions/{id}/receipts", get(receipts))
        .layer(DefaultBodyLimit::max(MAX_BODY_LEN))
        .with_state(AppState {
            daemon,
            counter: Default::default(),
        })
}

/// Serves the API on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    daemon: Daemon,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(daemon))
        .with_graceful_shutdown(shutdown)
        .await
}

fn error(status: StatusCode, message: impl std::fmt::Display) -> Response {
    (status, Json(json!({ "error": message.to_string() }))).into_response()
}

fn to_id(text: &str) -> Id {
    text.parse().unwrap_or_else(|_| hash(text.as_bytes()))
}

fn text_or_hex(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(s) => json!({ "text": s }),
        Err(_) => json!({ "hex": hex_string(bytes) }),
    }
}

fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn opt(id: Option<Id>) -> Value {
    id.map_or(Value::Null, |i| Value::String(i.to_string()))
}

async fn health(State(app): State<AppState>) -> Json<Value> {
    Json(json!({ "healthy": true, "node_id": app.daemon.id().to_string() }))
}

async fn submit(State(app): State<AppState>, body: axum::body::Bytes) -> Response {
    let request: SubmitRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("bad request: {e}")),
    };
    if request.service.is_empty() || request.service.len() > 256 {
        return error(StatusCode::BAD_REQUEST, "service must be 1 to 256 bytes");
    }
    let service = to_id(&request.service);
    let tx = match request.tx {
        Some(tx) if tx.len() <= 256 => to_id(&tx),
        Some(_) => return error(StatusCode::BAD_REQUEST, "tx must be at most 256 bytes"),
        None => {
            let n = app.counter.fetch_add(1, Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            let mut seed = app.daemon.id().to_bytes().to_vec();
            seed.extend_from_slice(&nanos.to_be_bytes());
            seed.extend_from_slice(&n.to_be_bytes());
            hash(&seed)
        }
    };
    let steps = request.steps.into_iter().map(StepKind::from).collect();
    match app.daemon.submit(service, tx, steps).await {
        Ok(id) => Json(json!({ "session_id": id.to_string(), "session_id_hex": id.to_hex() }))
            .into_response(),
        Err(e @ (Error::Network(_) | Error::TooManySessions)) => {
            error(StatusCode::SERVICE_UNAVAILABLE, e)
        }
        Err(e) => error(StatusCode::BAD_REQUEST, e),
    }
}

async fn report(app: &AppState, id: &str) -> Result<SessionReport, Response> {
    let id: Id = id
        .parse()
        .map_err(|_| error(StatusCode::BAD_REQUEST, "bad session id"))?;
    app.daemon
        .session(id)
        .await
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "unknown session"))
}

async fn session(State(app): State<AppState>, Path(id): Path<String>) -> Response {
    let r = match report(&app, &id).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    let s = &r.session;
    let steps: Vec<Value> = s
        .steps
        .iter()
        .map(|step| {
            let values = r
                .outcomes
                .get(step.index as usize)
                .map(|o| o.values.iter().map(|v| text_or_hex(v)).collect::<Vec<_>>());
            json!({
                "index": step.index,
                "kind": step.kind.name(),
                "state": step.state.name(),
                "retry": step.retry,
                "request_id": opt(step.request_id),
                "output_hash": opt(step.output_hash),
                "oracle_commit_root": opt(step.oracle_commit_root),
                "attestation_id": opt(step.attestation_id),
                "values": values,
            })
        })
        .collect();
    let output = r
        .outcomes
        .last()
        .filter(|_| s.state == session_core::SessionState::Finalized)
        .and_then(|o| o.values.first())
        .map(|v| text_or_hex(v));
    Json(json!({
        "session_id": s.id.to_string(),
        "service_id": s.service_id.to_string(),
        "epoch": s.epoch,
        "tx_id": s.tx_id.to_string(),
        "state": s.state.name(),
        "current_step": s.current_step,
        "committee": s.committee.iter().map(Id::to_string).collect::<Vec<_>>(),
        "steps": steps,
        "output": output,
        "output_hash": opt(s.output_hash),
        "oracle_root": opt(s.oracle_root),
        "receipts_root": opt(s.receipts_root),
        "error": s.error,
    }))
    .into_response()
}

async fn receipts(State(app): State<AppState>, Path(id): Path<String>) -> Response {
    let r = match report(&app, &id).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    let all: Vec<_> = r.outcomes.iter().flat_map(|o| o.receipts.clone()).collect();
    let tree = receipts_tree(&all);
    let mut receipts = Vec::with_capacity(all.len());
    for (i, receipt) in all.iter().enumerate() {
        let Ok(proof) = tree.inclusion_proof(i) else {
            return error(StatusCode::INTERNAL_SERVER_ERROR, "proof unavailable");
        };
        let proof = ReceiptProof {
            receipt: receipt.clone(),
            proof,
        };
        receipts.push(json!({
            "receipt_id": receipt.id().to_string(),
            "step": receipt.step,
            "sender": receipt.sender.to_string(),
            "receiver": receipt.receiver.to_string(),
            "message_hash": receipt.message_hash.to_string(),
            "proof": hex_string(&proof.encode()),
        }));
    }
    let certificates: Vec<Value> = r
        .outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            o.certificate
                .as_ref()
                .map(|c| json!({ "step": i, "certificate": hex_string(&c.encode()) }))
        })
        .collect();
    let keys = app.daemon.registry().keys(&r.session.committee);
    let committee_keys: Vec<String> = r
        .session
        .committee
        .iter()
        .filter_map(|m| keys.get(m))
        .map(|k| hex_string(&k.to_bytes()))
        .collect();
    Json(json!({
        "session_id": r.session.id.to_string(),
        "epoch": r.session.epoch,
        "state": r.session.state.name(),
        "committee": r.session.committee.iter().map(Id::to_string).collect::<Vec<_>>(),
        "committee_keys": committee_keys,
        "output_hash": opt(r.session.output_hash),
        "oracle_root": opt(r.session.oracle_root),
        "receipts_root": tree.root().to_string(),
        "final_receipts_root": opt(r.session.receipts_root),
        "receipts": receipts,
        "step_certificates": certificates,
        "final_certificate": r.final_certificate.map(|c| hex_string(&c.encode())),
    }))
    .into_response()
}
