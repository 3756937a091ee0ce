//! Every method and every error code of `specs/rpc.md`, over real HTTP on a
//! loopback port, with state checked unchanged after each rejection.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use session_core::Id;
use session_crypto::Identity;
use session_vm::{ChainOptions, Config};

fn small_config() -> Config {
    Config {
        max_messages: 3,
        max_participants: 3,
        max_message_size: 64,
        ..Config::default()
    }
}

/// What must not move when a call is rejected.
fn snapshot(node: &TestNode, session: &Id) -> (Value, Value) {
    let health = node.ok("sessionvm.Health", json!({}));
    let s = node.ok(
        "sessionvm.GetSession",
        json!({"sessionId": session.to_cb58()}),
    );
    let msgs = node.ok(
        "sessionvm.GetMessages",
        json!({"sessionId": session.to_cb58()}),
    );
    (
        json!([health["height"], health["sessions"]]),
        json!([s, msgs]),
    )
}

#[test]
fn every_method_and_error_code_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let node = TestNode::start(dir.path(), small_config(), ChainOptions::default());
    let (alice, bob, carol, dave) = (
        Identity::generate(),
        Identity::generate(),
        Identity::generate(),
        Identity::generate(),
    );

    // Info and Health.
    let info = node.ok("sessionvm.Info", json!({}));
    assert_eq!(
        info["vmId"],
        "speKUgLBX6WRD5cfGeEfLa43LxTXUBckvtv4td6F3eTXvRP48"
    );
    assert_eq!(info["height"], 0);
    assert_eq!(info["config"]["maxMessages"], 3);
    let chain = node.chain_id();
    let health = node.ok("sessionvm.Health", json!([{}]));
    assert_eq!(health["healthy"], true);
    assert_eq!(health["sessions"], 0);

    // CreateSession (object params) and GetSession (one-element array params).
    let created = node.ok(
        "sessionvm.CreateSession",
        create_params(&chain, &[&alice, &bob], 1, &alice),
    );
    let sid: Id = created["sessionId"].as_str().unwrap().parse().unwrap();
    assert!(created["expires"].as_u64().unwrap() > 86_000);
    let s =
        node.ok("sessionvm.GetSession", json!([{"sessionId": sid.to_hex()}]))["session"].clone();
    assert_eq!(s["status"], "active");
    assert_eq!(
        s["participants"],
        json!([pid(&alice).to_cb58(), pid(&bob).to_cb58()])
    );
    assert_eq!(s["publicKeys"][1], key_hex(&bob));
    assert_eq!(s["acks"][pid(&bob).to_cb58()], 0);
    assert_eq!(node.ok("sessionvm.Info", json!({}))["height"], 1);

    // CreateSession rejections, each leaving state unchanged.
    let before = snapshot(&node, &sid);
    let mut p = create_params(&chain, &[&alice, &bob], 1, &alice);
    assert_eq!(
        node.err("sessionvm.CreateSession", p.clone()),
        -32004,
        "replay"
    );
    p["participants"] = json!([p["participants"][0]]);
    p["publicKeys"] = json!([p["publicKeys"][0]]);
    assert_eq!(
        node.err("sessionvm.CreateSession", p),
        -32602,
        "one participant"
    );
    let p = create_params(&chain, &[&alice, &alice], 2, &alice);
    assert_eq!(
        node.err("sessionvm.CreateSession", p),
        -32602,
        "repeated participant"
    );
    let p = create_params(&chain, &[&alice, &bob, &carol, &dave], 3, &alice);
    assert_eq!(
        node.err("sessionvm.CreateSession", p),
        -32005,
        "too many participants"
    );
    let mut p = create_params(&chain, &[&alice, &bob], 4, &alice);
    p["publicKeys"][1] = json!(key_hex(&carol));
    assert_eq!(
        node.err("sessionvm.CreateSession", p),
        -32602,
        "key not matching its ID"
    );
    let p = create_params(&chain, &[&alice, &bob], 5, &bob);
    assert_eq!(
        node.err("sessionvm.CreateSession", p),
        -32003,
        "not signed by the creator"
    );
    let mut p = create_params(&chain, &[&alice, &bob], 6, &alice);
    p["signature"] = json!("abcd");
    assert_eq!(
        node.err("sessionvm.CreateSession", p),
        -32602,
        "short signature"
    );
    let mut p = create_params(&chain, &[&alice, &bob], 7, &alice);
    p["publicKeys"][0] = json!("zz");
    assert_eq!(node.err("sessionvm.CreateSession", p), -32602, "bad hex");
    let mut p = create_params(&chain, &[&alice, &bob], 8, &alice);
    p["extra"] = json!(1);
    assert_eq!(
        node.err("sessionvm.CreateSession", p),
        -32602,
        "unknown field"
    );
    let mut p = create_params(&chain, &[&alice, &bob], 9, &alice);
    p["participants"][1] = json!("not-an-id");
    assert_eq!(node.err("sessionvm.CreateSession", p), -32602, "bad ID");
    let p = create_params(&chain, &[&alice, &bob], 1 << 53, &alice);
    assert_eq!(
        node.err("sessionvm.CreateSession", p),
        -32602,
        "nonce over 2^53-1"
    );
    assert_eq!(snapshot(&node, &sid), before);

    // SendMessage.
    let sent = node.ok(
        "sessionvm.SendMessage",
        send_params(&chain, &sid, &alice, b"hello bob"),
    );
    assert_eq!(sent["sequence"], 1);
    let before = snapshot(&node, &sid);
    let unknown = Id::new([7; 32]);
    for (name, params, code) in [
        (
            "replay",
            send_params(&chain, &sid, &alice, b"hello bob"),
            -32004,
        ),
        (
            "unknown session",
            send_params(&chain, &unknown, &alice, b"x"),
            -32001,
        ),
        (
            "not a participant",
            send_params(&chain, &sid, &carol, b"x"),
            -32003,
        ),
        (
            "empty ciphertext",
            send_params(&chain, &sid, &alice, b""),
            -32602,
        ),
        (
            "over maxMessageSize",
            send_params(&chain, &sid, &alice, &[1; 65]),
            -32005,
        ),
    ] {
        assert_eq!(node.err("sessionvm.SendMessage", params), code, "{name}");
    }
    let mut p = send_params(&chain, &sid, &alice, b"forged");
    p["ciphertext"] = json!(hex::encode(b"tampered"));
    assert_eq!(
        node.err("sessionvm.SendMessage", p),
        -32003,
        "signature over other bytes"
    );
    let mut p = send_params(&chain, &sid, &alice, b"x");
    p["sender"] = json!(pid(&bob).to_cb58());
    assert_eq!(
        node.err("sessionvm.SendMessage", p),
        -32003,
        "signed by someone else"
    );
    assert_eq!(snapshot(&node, &sid), before);

    // maxMessages = 3.
    assert_eq!(
        node.ok(
            "sessionvm.SendMessage",
            send_params(&chain, &sid, &bob, b"hi")
        )["sequence"],
        2
    );
    assert_eq!(
        node.ok(
            "sessionvm.SendMessage",
            send_params(&chain, &sid, &bob, b"3")
        )["sequence"],
        3
    );
    let before = snapshot(&node, &sid);
    assert_eq!(
        node.err(
            "sessionvm.SendMessage",
            send_params(&chain, &sid, &alice, b"4")
        ),
        -32005
    );
    assert_eq!(snapshot(&node, &sid), before);

    // GetMessages.
    let page = node.ok(
        "sessionvm.GetMessages",
        json!({"sessionId": sid.to_cb58(), "after": 1, "limit": 1}),
    );
    assert_eq!(page["next"], 2);
    let m = &page["messages"][0];
    assert_eq!(
        (m["sequence"].clone(), m["sender"].clone()),
        (json!(2), json!(pid(&bob).to_cb58()))
    );
    assert_eq!(m["ciphertext"], hex::encode(b"hi"));
    assert_eq!(m["height"].as_u64().unwrap(), 3);
    let all = node.ok("sessionvm.GetMessages", json!({"sessionId": sid.to_cb58()}));
    assert_eq!(all["messages"].as_array().unwrap().len(), 3);
    let none = node.ok(
        "sessionvm.GetMessages",
        json!({"sessionId": sid.to_cb58(), "after": 3}),
    );
    assert_eq!(
        (
            none["messages"].as_array().unwrap().len(),
            none["next"].clone()
        ),
        (0, json!(3))
    );
    for (params, code) in [
        (json!({"sessionId": sid.to_cb58(), "limit": 0}), -32602),
        (json!({"sessionId": sid.to_cb58(), "limit": 1001}), -32602),
        (json!({"sessionId": unknown.to_cb58()}), -32001),
        (json!({"sessionId": sid.to_cb58(), "after": -1}), -32602),
    ] {
        assert_eq!(node.err("sessionvm.GetMessages", params), code);
    }

    // AckMessages.
    assert_eq!(
        node.ok("sessionvm.AckMessages", ack_params(&chain, &sid, &bob, 2))["success"],
        true
    );
    let before = snapshot(&node, &sid);
    assert_eq!(
        node.err("sessionvm.AckMessages", ack_params(&chain, &sid, &bob, 2)),
        -32004
    );
    assert_eq!(
        node.err("sessionvm.AckMessages", ack_params(&chain, &sid, &bob, 1)),
        -32004
    );
    assert_eq!(
        node.err("sessionvm.AckMessages", ack_params(&chain, &sid, &bob, 9)),
        -32602
    );
    assert_eq!(
        node.err("sessionvm.AckMessages", ack_params(&chain, &sid, &carol, 1)),
        -32003
    );
    assert_eq!(snapshot(&node, &sid), before);
    let s = node.ok("sessionvm.GetSession", json!({"sessionId": sid.to_cb58()}))["session"].clone();
    assert_eq!(s["acks"][pid(&bob).to_cb58()], 2);
    assert_eq!(s["messageCount"], 3);

    // CloseSession: only participants, once.
    assert_eq!(
        node.err("sessionvm.CloseSession", close_params(&chain, &sid, &carol)),
        -32003
    );
    assert_eq!(
        node.ok("sessionvm.CloseSession", close_params(&chain, &sid, &bob))["success"],
        true
    );
    let before = snapshot(&node, &sid);
    assert_eq!(
        node.err("sessionvm.CloseSession", close_params(&chain, &sid, &alice)),
        -32002
    );
    assert_eq!(
        node.err(
            "sessionvm.SendMessage",
            send_params(&chain, &sid, &alice, b"late")
        ),
        -32002
    );
    assert_eq!(
        node.err("sessionvm.AckMessages", ack_params(&chain, &sid, &alice, 3)),
        -32002
    );
    assert_eq!(snapshot(&node, &sid), before);
    let s = node.ok("sessionvm.GetSession", json!({"sessionId": sid.to_cb58()}))["session"].clone();
    assert_eq!(s["status"], "closed");
    assert_eq!(
        node.err(
            "sessionvm.GetSession",
            json!({"sessionId": unknown.to_cb58()})
        ),
        -32001
    );
    assert_eq!(node.ok("sessionvm.Health", json!({}))["sessions"], 0);

    // Protocol-level errors.
    assert_eq!(node.err("sessionvm.Nope", json!({})), -32601);
    assert_eq!(node.err("Info", json!({})), -32601);
    assert_eq!(node.err("sessionvm.Info", json!("text")), -32602);
    assert_eq!(node.err("sessionvm.Info", json!({"x": 1})), -32602);
    let mut p = create_params(&chain, &[&alice, &bob], 10, &alice);
    p["nonce"] = json!("a secret-looking string");
    let r = node.call("sessionvm.CreateSession", p);
    assert_eq!(r["error"]["code"], -32602);
    assert!(
        !r.to_string().contains("secret"),
        "errors never echo input: {r}"
    );
    let (status, body) = post_raw(&node.url(), b"{not json");
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (200, json!(-32700))
    );
    let (_, body) = post_raw(&node.url(), br#"{"jsonrpc":"2.0","id":1}"#);
    assert_eq!(body["error"]["code"], -32600);
    let (_, body) = post_raw(&node.url(), b"[]");
    assert_eq!(body["error"]["code"], -32600);
    let (_, body) = post_raw(&node.url(), b"42");
    assert_eq!(body["error"]["code"], -32600);

    // Batches answer each request in order.
    let batch = json!([
        {"jsonrpc": "2.0", "id": "a", "method": "sessionvm.Health", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "sessionvm.Nope"},
        {"jsonrpc": "2.0", "id": 3, "method": "sessionvm.GetSession", "params": [{"sessionId": sid.to_cb58()}]},
    ]);
    let replies = post_json(&node.url(), &batch);
    assert_eq!(replies[0]["id"], "a");
    assert_eq!(replies[0]["result"]["healthy"], true);
    assert_eq!(replies[1]["error"]["code"], -32601);
    assert_eq!(replies[2]["result"]["session"]["status"], "closed");

    // HTTP transport: 413, 405, any path ending in /rpc, health, metrics.
    let big = vec![b' '; (1 << 20) + 1];
    assert_eq!(post_raw(&node.url(), &big).0, 413);
    assert_eq!(get(&node.url()).0, 405);
    let alias = format!("http://{}/v1/bc/{}/rpc", node.addr, chain.to_cb58());
    let r = post_json(
        &alias,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "sessionvm.Info"}),
    );
    assert_eq!(r["result"]["chainId"], chain.to_cb58());
    let (status, body) = get(&format!("http://{}/health", node.addr));
    assert_eq!(status, 200);
    assert!(body.contains("\"healthy\":true"), "{body}");
    let (status, body) = get(&format!("http://{}/metrics", node.addr));
    assert_eq!(status, 200);
    assert!(body.contains("sessionvm_height 6"), "{body}");
    assert!(
        body.contains(
            "sessionvm_rpc_calls_total{method=\"sessionvm.SendMessage\",code=\"-32004\"}"
        )
    );
}

#[test]
fn overloaded_and_not_yet_accepted() {
    let (alice, bob) = (Identity::generate(), Identity::generate());

    // A mempool with no room answers -32006 and changes nothing.
    let dir = tempfile::tempdir().unwrap();
    let full = ChainOptions {
        mempool_size: 0,
        ..ChainOptions::default()
    };
    let node = TestNode::start(dir.path(), Config::default(), full);
    let chain = node.chain_id();
    let p = create_params(&chain, &[&alice, &bob], 1, &alice);
    assert_eq!(node.err("sessionvm.CreateSession", p), -32006);
    assert_eq!(node.ok("sessionvm.Health", json!({}))["height"], 0);
    node.stop();

    // A zero wait answers -32007 with the transaction ID, and the change still lands.
    let dir = tempfile::tempdir().unwrap();
    let hasty = ChainOptions {
        accept_wait: Duration::ZERO,
        ..ChainOptions::default()
    };
    let node = TestNode::start(dir.path(), Config::default(), hasty);
    let chain = node.chain_id();
    let r = node.call(
        "sessionvm.CreateSession",
        create_params(&chain, &[&alice, &bob], 1, &alice),
    );
    assert_eq!(r["error"]["code"], -32007, "{r}");
    let tx_id = r["error"]["data"]["txId"].as_str().unwrap().to_owned();
    let mut status = Value::Null;
    for _ in 0..100 {
        let s = node.call("sessionvm.GetSession", json!({"sessionId": tx_id}));
        status = s["result"]["session"]["status"].clone();
        if status == "active" {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(status, "active");
}

#[test]
fn sessions_expire_by_block_time() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config {
        session_ttl: 1,
        ..Config::default()
    };
    let node = TestNode::start(dir.path(), cfg, ChainOptions::default());
    let chain = node.chain_id();
    let (alice, bob) = (Identity::generate(), Identity::generate());
    let created = node.ok(
        "sessionvm.CreateSession",
        create_params(&chain, &[&alice, &bob], 1, &alice),
    );
    let sid: Id = created["sessionId"].as_str().unwrap().parse().unwrap();
    std::thread::sleep(Duration::from_millis(2_100));
    assert_eq!(
        node.err(
            "sessionvm.SendMessage",
            send_params(&chain, &sid, &alice, b"late")
        ),
        -32002
    );
    // Another block moves block time on; the session reads as expired.
    node.ok(
        "sessionvm.CreateSession",
        create_params(&chain, &[&alice, &bob], 2, &alice),
    );
    let s = node.ok("sessionvm.GetSession", json!({"sessionId": sid.to_cb58()}))["session"].clone();
    assert_eq!(s["status"], "expired");
    assert_eq!(node.ok("sessionvm.Health", json!({}))["sessions"], 1);
}
