//! `session receipt verify` on a receipts document produced by five real
//! sessiond nodes (`tests/data/receipts.json`, written by session-daemon's
//! loopback test).

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/receipts.json")
}

fn session(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_session"))
        .args(args)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

#[test]
fn a_real_document_verifies_and_a_tampered_one_does_not() {
    let doc = data();
    let out = session(&["receipt", "verify", doc.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("valid: session "), "{text}");
    assert!(text.contains("of 5 members"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--committee"));

    let dir = tempfile::tempdir().unwrap();
    let original: Value = serde_json::from_slice(&std::fs::read(&doc).unwrap()).unwrap();
    let mut tampered = original.clone();
    let proof = tampered["receipts"][0]["proof"]
        .as_str()
        .unwrap()
        .to_owned();
    let flipped = if proof.ends_with('0') { "1" } else { "0" };
    tampered["receipts"][0]["proof"] =
        Value::String(format!("{}{flipped}", &proof[..proof.len() - 1]));
    let bad = write(dir.path(), "bad.json", &tampered.to_string());
    let out = session(&["receipt", "verify", &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOT valid"));

    let mut output = original.clone();
    output["output_hash"] = original["oracle_root"].clone();
    let bad = write(dir.path(), "bad-output.json", &output.to_string());
    assert_eq!(session(&["receipt", "verify", &bad]).status.code(), Some(1));
}

#[test]
fn the_committee_can_be_pinned() {
    let doc = data();
    let original: Value = serde_json::from_slice(&std::fs::read(&doc).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let keys: Vec<String> = original["committee_keys"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, k)| write(dir.path(), &format!("m{i}.pub"), k.as_str().unwrap()))
        .collect();
    let mut args = vec!["receipt", "verify", doc.to_str().unwrap()];
    for k in &keys {
        args.extend(["--committee", k.as_str()]);
    }
    let out = session(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("--committee"));

    // A committee other than the trusted one is refused, even if self-consistent.
    let stranger = session(&[
        "keygen",
        "--out",
        dir.path().join("x.key").to_str().unwrap(),
    ]);
    assert!(stranger.status.success());
    let pubfile = dir.path().join("x.pub");
    let exported = session(&[
        "export-public",
        "--key",
        dir.path().join("x.key").to_str().unwrap(),
        "--out",
        pubfile.to_str().unwrap(),
    ]);
    assert!(exported.status.success());
    let mut args = vec!["receipt", "verify", doc.to_str().unwrap()];
    for k in &keys[1..] {
        args.extend(["--committee", k.as_str()]);
    }
    args.extend(["--committee", pubfile.to_str().unwrap()]);
    let out = session(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not the one you trust"));
}
