//! Shared helpers for the integration tests: a node on a loopback port, a
//! JSON-RPC client, and signed statements.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use session_core::Id;
use session_crypto::Identity;
use session_vm::node;
use session_vm::{ChainOptions, Config, statement};

/// A node on a loopback port, stopped when dropped.
pub struct TestNode {
    pub addr: SocketAddr,
    node: node::Background,
}

impl TestNode {
    pub fn start(dir: &Path, chain: Config, options: ChainOptions) -> Self {
        let node = node::Background::start(dir, chain, options).unwrap();
        Self {
            addr: node.addr(),
            node,
        }
    }

    pub fn url(&self) -> String {
        self.node.url()
    }

    /// Calls a method; returns the whole response object.
    pub fn call(&self, method: &str, params: Value) -> Value {
        post_json(
            &self.url(),
            &json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}),
        )
    }

    /// Calls a method and returns its result, failing on an error reply.
    pub fn ok(&self, method: &str, params: Value) -> Value {
        let r = self.call(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// Calls a method and returns its error code.
    pub fn err(&self, method: &str, params: Value) -> i64 {
        let r = self.call(method, params);
        r["error"]["code"]
            .as_i64()
            .unwrap_or_else(|| panic!("{method} did not fail: {r}"))
    }

    pub fn chain_id(&self) -> Id {
        let info = self.ok("sessionvm.Info", json!({}));
        info["chainId"].as_str().unwrap().parse().unwrap()
    }

    pub fn stop(self) {
        self.node.stop().unwrap();
    }
}

pub fn post_json(url: &str, body: &Value) -> Value {
    post_raw(url, body.to_string().as_bytes()).1
}

/// POSTs raw bytes; returns the HTTP status and the parsed body (Null if empty).
pub fn post_raw(url: &str, body: &[u8]) -> (u16, Value) {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    match agent
        .post(url)
        .set("Content-Type", "application/json")
        .send_bytes(body)
    {
        Ok(resp) => {
            let status = resp.status();
            let text = resp.into_string().unwrap();
            (status, serde_json::from_str(&text).unwrap_or(Value::Null))
        }
        Err(ureq::Error::Status(code, _)) => (code, Value::Null),
        Err(e) => panic!("transport: {e}"),
    }
}

pub fn get(url: &str) -> (u16, String) {
    match ureq::get(url).call() {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
        Err(e) => panic!("transport: {e}"),
    }
}

pub fn pid(who: &Identity) -> Id {
    Id::new(who.id().0)
}

pub fn key_hex(who: &Identity) -> String {
    hex::encode(who.public().to_bytes())
}

/// Params of a CreateSession signed by `signer` (normally `members[0]`).
pub fn create_params(chain: &Id, members: &[&Identity], nonce: u64, signer: &Identity) -> Value {
    let ids: Vec<Id> = members.iter().map(|m| pid(m)).collect();
    let sig = signer.sign(&statement::create_session(chain, nonce, &ids));
    json!({
        "participants": ids.iter().map(|i| format!("07{}", i.to_hex())).collect::<Vec<_>>(),
        "publicKeys": members.iter().map(|m| key_hex(m)).collect::<Vec<_>>(),
        "nonce": nonce,
        "signature": hex::encode(sig.as_bytes()),
    })
}

pub fn send_params(chain: &Id, session: &Id, sender: &Identity, ct: &[u8]) -> Value {
    let sig = sender.sign(&statement::send_message(chain, session, &pid(sender), ct));
    json!({
        "sessionId": session.to_cb58(),
        "sender": pid(sender).to_cb58(),
        "ciphertext": hex::encode(ct),
        "signature": hex::encode(sig.as_bytes()),
    })
}

pub fn close_params(chain: &Id, session: &Id, sender: &Identity) -> Value {
    let sig = sender.sign(&statement::close_session(chain, session, &pid(sender)));
    json!({
        "sessionId": session.to_cb58(),
        "sender": pid(sender).to_cb58(),
        "signature": hex::encode(sig.as_bytes()),
    })
}

pub fn ack_params(chain: &Id, session: &Id, sender: &Identity, up_to: u64) -> Value {
    let sig = sender.sign(&statement::ack_messages(
        chain,
        session,
        &pid(sender),
        up_to,
    ));
    json!({
        "sessionId": session.to_cb58(),
        "sender": pid(sender).to_cb58(),
        "upTo": up_to,
        "signature": hex::encode(sig.as_bytes()),
    })
}
