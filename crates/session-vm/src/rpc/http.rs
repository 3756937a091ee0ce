//! HTTP transport: `POST` JSON-RPC on `/rpc` (and, behind a Lux node, on any
//! path), `GET /health`, `GET /metrics`. Bodies over the limit get 413.

use std::future::Future;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;

use super::Service;

/// Default request body limit: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;

#[derive(Clone)]
struct AppState {
    service: Service,
    body_limit: usize,
}

/// The HTTP routes over `service`.
pub fn router(service: Service, body_limit: usize) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .fallback(rpc)
        .with_state(AppState {
            service,
            body_limit,
        })
}

/// Serves `router` on `listener` until `shutdown` resolves, then finishes
/// in-flight requests.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    json_bytes(status, value.to_string().into_bytes())
}

fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

async fn health(State(app): State<AppState>) -> Response {
    match app.service.health() {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(_) => json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({ "healthy": false }),
        ),
    }
}

async fn metrics(State(app): State<AppState>) -> Response {
    let text = app.service.metrics().render(app.service.chain());
    let mut resp = text.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    resp
}

async fn rpc(State(app): State<AppState>, method: Method, body: Body) -> Response {
    if method != Method::POST {
        let mut resp = StatusCode::METHOD_NOT_ALLOWED.into_response();
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return resp;
    }
    let bytes = match to_bytes(body, app.body_limit).await {
        Ok(b) => b,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    match app.service.handle_body(&bytes).await {
        Some(body) => json_bytes(StatusCode::OK, body),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}
