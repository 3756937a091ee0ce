//! The README's quick start, run with the real `session` binary against a real
//! node on a loopback port, plus the load generator.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

use session_vm::node::Background;
use session_vm::{ChainOptions, Config};

fn session(dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_session"))
        .args(args)
        .current_dir(dir)
        .env("SESSIONVM_URL", url)
        .env("SESSION_CONTACTS", dir.join("contacts.json"))
        .env_remove("SESSION_KEY")
        .output()
        .unwrap()
}

fn ok(dir: &Path, url: &str, args: &[&str]) -> String {
    let out = session(dir, url, args);
    assert!(
        out.status.success(),
        "session {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn two_people_talk_through_a_node() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let node =
        Background::start(&d.join("chain"), Config::default(), ChainOptions::default()).unwrap();
    let url = node.url();
    for who in ["alice", "bob"] {
        ok(d, &url, &["keygen", "--out", &format!("{who}.key")]);
        ok(
            d,
            &url,
            &[
                "export-public",
                "--key",
                &format!("{who}.key"),
                "--out",
                &format!("{who}.pub"),
            ],
        );
    }
    let public = |who: &str| std::fs::read_to_string(d.join(format!("{who}.pub"))).unwrap();
    std::fs::write(
        d.join("contacts.json"),
        format!(
            "{{\"alice\": \"{}\", \"bob\": \"{}\"}}",
            public("alice").trim(),
            public("bob").trim()
        ),
    )
    .unwrap();

    let s = ok(
        d,
        &url,
        &["vm", "create", "--key", "alice.key", "--with", "bob"],
    );
    let s = s.trim();
    assert!(!s.is_empty());
    ok(
        d,
        &url,
        &["vm", "send", "--key", "alice.key", s, "hello bob"],
    );
    ok(d, &url, &["vm", "send", "--key", "bob.key", s, "hi alice"]);
    let read = ok(d, &url, &["vm", "read", "--key", "bob.key", s]);
    let lines: Vec<&str> = read.lines().collect();
    assert_eq!(lines.len(), 2, "{read}");
    assert!(
        lines[0].contains("alice") && lines[0].contains("hello bob"),
        "{read}"
    );
    assert!(
        lines[1].contains("bob") && lines[1].contains("hi alice"),
        "{read}"
    );
    ok(d, &url, &["vm", "ack", "--key", "bob.key", s]);
    ok(d, &url, &["vm", "close", "--key", "bob.key", s]);
    // A closed session takes no more messages.
    let refused = session(d, &url, &["vm", "send", "--key", "alice.key", s, "late"]);
    assert!(!refused.status.success());
    let show = ok(d, &url, &["vm", "show", s]);
    assert!(show.contains("\"closed\""), "{show}");
    node.stop().unwrap();
}

#[test]
fn load_generator_reports_every_message() {
    let dir = tempfile::tempdir().unwrap();
    let node = Background::start(dir.path(), Config::default(), ChainOptions::default()).unwrap();
    let out = ok(
        dir.path(),
        &node.url(),
        &[
            "vm",
            "bench",
            "--clients",
            "4",
            "--messages",
            "40",
            "--senders",
            "3",
            "--size",
            "64",
        ],
    );
    assert!(
        out.contains("sent 40 messages of 64 bytes with 4 clients"),
        "{out}"
    );
    assert!(out.contains("p99"), "{out}");
    assert!(!out.contains("failed"), "{out}");
    let health = ureq::post(&node.url())
        .send_string(r#"{"jsonrpc":"2.0","id":1,"method":"sessionvm.Health"}"#)
        .unwrap()
        .into_json::<serde_json::Value>()
        .unwrap();
    assert_eq!(health["result"]["sessions"], 3);
    node.stop().unwrap();
}
