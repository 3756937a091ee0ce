//! A small blocking JSON-RPC client for SessionVM.

use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

/// Default endpoint.
pub const DEFAULT_URL: &str = "http://127.0.0.1:9652/rpc";

/// Talks to one SessionVM endpoint.
#[derive(Debug)]
pub struct RpcClient {
    url: String,
    agent: ureq::Agent,
}

/// A JSON-RPC error reply.
#[derive(Debug, thiserror::Error)]
#[error("{message} (code {code})")]
pub struct RpcFailure {
    /// The contract's code.
    pub code: i64,
    /// The server's message.
    pub message: String,
}

impl RpcClient {
    /// A client for `url`.
    pub fn new(url: &str) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .build();
        Self {
            url: url.to_owned(),
            agent,
        }
    }

    /// Calls `sessionvm.<method>` with `params`; returns the result.
    pub fn call(&self, method: &str, params: Value) -> Result<Value> {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": format!("sessionvm.{method}"), "params": params});
        let resp = self
            .agent
            .post(&self.url)
            .set("Content-Type", "application/json")
            .send_string(&body.to_string());
        let resp = match resp {
            Ok(r) => r,
            Err(ureq::Error::Status(code, _)) => {
                bail!("server answered HTTP {code} at {}", self.url)
            }
            Err(e) => {
                return Err(anyhow!(e)).with_context(|| {
                    format!(
                        "cannot reach SessionVM at {} (is `sessionvm` running?)",
                        self.url
                    )
                });
            }
        };
        let reply: Value = resp.into_json().context("the server's reply is not JSON")?;
        if let Some(err) = reply.get("error") {
            return Err(RpcFailure {
                code: err["code"].as_i64().unwrap_or(0),
                message: err["message"].as_str().unwrap_or("error").to_owned(),
            }
            .into());
        }
        Ok(reply["result"].clone())
    }
}
