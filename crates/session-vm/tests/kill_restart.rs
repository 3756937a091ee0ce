//! The `sessionvm` binary killed with SIGKILL loses no accepted transaction,
//! and SIGTERM stops it cleanly.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use session_core::Id;
use session_crypto::Identity;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Node {
    child: Child,
    url: String,
}

fn start(dir: &std::path::Path) -> Node {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sessionvm"))
        .args(["--data-dir", dir.to_str().unwrap()])
        .env("SESSIONVM_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the "listening" line, then keep draining stderr.
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("listening") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("node did not start");
    Node {
        child,
        url: format!("http://127.0.0.1:{port}/rpc"),
    }
}

fn call(url: &str, method: &str, params: serde_json::Value) -> serde_json::Value {
    post_json(
        url,
        &json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}),
    )
}

#[test]
fn sigkill_loses_no_accepted_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let (alice, bob) = (Identity::generate(), Identity::generate());
    let mut node = start(dir.path());
    let info = call(&node.url, "sessionvm.Info", json!({}));
    let chain: Id = info["result"]["chainId"].as_str().unwrap().parse().unwrap();
    let r = call(
        &node.url,
        "sessionvm.CreateSession",
        create_params(&chain, &[&alice, &bob], 1, &alice),
    );
    let sid: Id = r["result"]["sessionId"].as_str().unwrap().parse().unwrap();

    // Send while a killer strikes at a random moment; count what was acknowledged.
    let url = node.url.clone();
    let (signal, first_ack) = std::sync::mpsc::channel();
    let sender = std::thread::spawn(move || {
        let mut acked = Vec::new();
        for n in 0..10_000u32 {
            let ct = n.to_be_bytes();
            let body = json!({"jsonrpc": "2.0", "id": 1, "method": "sessionvm.SendMessage",
                              "params": send_params(&chain, &sid, &alice, &ct)});
            let agent = ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(5))
                .build();
            match agent.post(&url).send_string(&body.to_string()) {
                Ok(resp) => {
                    let v: serde_json::Value = resp.into_json().unwrap();
                    acked.push((n, v["result"]["sequence"].as_u64().unwrap()));
                    if n == 0 {
                        let _ = signal.send(());
                    }
                }
                Err(_) => break,
            }
        }
        acked
    });
    // Strike at a random moment after the first acknowledgement (however
    // slow the machine), while sends keep coming.
    let _ = first_ack.recv_timeout(Duration::from_secs(60));
    let wait = 50 + u64::from(std::process::id() % 400);
    std::thread::sleep(Duration::from_millis(wait));
    node.child.kill().unwrap(); // SIGKILL
    node.child.wait().unwrap();
    let acked = sender.join().unwrap();
    assert!(
        !acked.is_empty(),
        "some messages were accepted before the kill"
    );

    let mut node = start(dir.path());
    let s = call(
        &node.url,
        "sessionvm.GetSession",
        json!({"sessionId": sid.to_cb58()}),
    );
    let count = s["result"]["session"]["messageCount"].as_u64().unwrap();
    assert!(count >= acked.len() as u64, "{count} < {}", acked.len());
    let mut after = 0;
    let mut stored = Vec::new();
    loop {
        let page = call(
            &node.url,
            "sessionvm.GetMessages",
            json!({"sessionId": sid.to_cb58(), "after": after, "limit": 1000}),
        );
        let msgs = page["result"]["messages"].as_array().unwrap().clone();
        if msgs.is_empty() {
            break;
        }
        for m in &msgs {
            stored.push((
                m["sequence"].as_u64().unwrap(),
                m["ciphertext"].as_str().unwrap().to_owned(),
            ));
        }
        after = page["result"]["next"].as_u64().unwrap();
    }
    for (n, seq) in &acked {
        let want = hex::encode(n.to_be_bytes());
        assert!(
            stored.contains(&(*seq, want)),
            "acknowledged message {n} (#{seq}) lost"
        );
    }

    // SIGTERM: a clean, prompt exit.
    let pid = node.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = node.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
