//! Runs the built `session` binary through keygen → encrypt/decrypt →
//! sign/verify, including failure cases and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_session"));
        c.args(args)
            .current_dir(self.dir.path())
            .env_remove("SESSION_KEY")
            .env_remove("SESSION_PASSPHRASE")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn run_stdin(&self, args: &[&str], stdin: &[u8]) -> Output {
        use std::io::Write;
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        child.wait_with_output().unwrap()
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, args: &[&str]) -> Vec<u8> {
        let o = self.run(args);
        assert!(o.status.success(), "{args:?} failed: {}", stderr(&o));
        o.stdout
    }

    /// Runs and expects exit status `code`; returns stderr.
    fn fails(&self, args: &[&str], code: i32) -> String {
        let o = self.run(args);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
        stderr(&o)
    }

    fn keygen(&self, name: &str, extra: &[&str]) -> String {
        let out = self.path(name);
        let mut args = vec!["keygen", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let id = String::from_utf8(self.ok(&args))
            .unwrap()
            .trim()
            .to_string();
        assert_eq!(id.len(), 66);
        id
    }

    fn write(&self, name: &str, data: &[u8]) -> String {
        std::fs::write(self.path(name), data).unwrap();
        self.path(name).to_str().unwrap().to_string()
    }

    fn p(&self, name: &str) -> String {
        self.path(name).to_str().unwrap().to_string()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn keygen_id_and_export() {
    let e = Env::new();
    let id = e.keygen("alice.key", &[]);
    assert!(id.starts_with("07"));
    #[cfg(unix)]
    assert_eq!(mode(&e.path("alice.key")), 0o600);
    assert_eq!(
        String::from_utf8(e.ok(&["id", "--key", &e.p("alice.key")]))
            .unwrap()
            .trim(),
        id
    );
    // Never overwrites.
    let err = e.fails(&["keygen", "--out", &e.p("alice.key")], 1);
    assert!(err.contains("already exists"), "{err}");
    // Public identity as hex and as a file, both usable.
    let hex = String::from_utf8(e.ok(&["export-public", "--key", &e.p("alice.key")])).unwrap();
    assert_eq!(hex.trim().len(), 2 * 3136);
    e.ok(&[
        "export-public",
        "--key",
        &e.p("alice.key"),
        "--out",
        &e.p("alice.pub"),
    ]);
    assert_eq!(std::fs::read_to_string(e.path("alice.pub")).unwrap(), hex);
    // SESSION_KEY selects the key.
    let o = e
        .cmd(&["id"])
        .env("SESSION_KEY", e.path("alice.key"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(o.stdout).unwrap().trim(), id);
    // Missing key file: a helpful message.
    let err = e.fails(&["id"], 1);
    assert!(err.contains("session keygen"), "{err}");
    // Default location under the config directory.
    let def = e.keygen_default();
    assert_eq!(String::from_utf8(e.ok(&["id"])).unwrap().trim(), def);
    #[cfg(unix)]
    assert_eq!(mode(&e.path("config/lux-session")), 0o700);
}

impl Env {
    fn keygen_default(&self) -> String {
        let id = String::from_utf8(self.ok(&["keygen"])).unwrap();
        assert!(self.path("config/lux-session/identity.key").is_file());
        id.trim().to_string()
    }
}

#[test]
fn encrypt_decrypt_envelope() {
    let e = Env::new();
    let alice = e.keygen("alice.key", &[]);
    e.keygen("bob.key", &[]);
    e.ok(&[
        "export-public",
        "--key",
        &e.p("alice.key"),
        "--out",
        &e.p("alice.pub"),
    ]);
    e.ok(&[
        "export-public",
        "--key",
        &e.p("bob.key"),
        "--out",
        &e.p("bob.pub"),
    ]);
    let msg = e.write("msg.txt", b"meet at noon\n");

    e.ok(&[
        "encrypt",
        "--key",
        &e.p("alice.key"),
        "--to",
        &e.p("bob.pub"),
        "--context",
        "s1",
        "--in",
        &msg,
        "--out",
        &e.p("msg.env"),
    ]);
    let o = e.run(&[
        "decrypt",
        "--key",
        &e.p("bob.key"),
        "--from",
        &e.p("alice.pub"),
        "--context",
        "s1",
        "--in",
        &e.p("msg.env"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, b"meet at noon\n");
    assert!(stderr(&o).contains(&alice));

    // Standard input and output, recipient given as hex.
    let bob_hex = std::fs::read_to_string(e.path("bob.pub")).unwrap();
    let o = e.run_stdin(
        &[
            "encrypt",
            "--key",
            &e.p("alice.key"),
            "--to",
            bob_hex.trim(),
        ],
        b"via pipes",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = e.run_stdin(
        &[
            "decrypt",
            "--key",
            &e.p("bob.key"),
            "--from",
            &e.p("alice.pub"),
        ],
        &o.stdout,
    );
    assert_eq!(o.stdout, b"via pipes", "{}", stderr(&o));

    let dec = |key: &str, extra: &[&str]| {
        let mut args = vec!["decrypt", "--key", key, "--in", "msg.env"];
        args.extend_from_slice(extra);
        e.fails(&args, 1)
    };
    // No --from: says who sent it.
    let err = dec(&e.p("bob.key"), &["--context", "s1"]);
    assert!(err.contains(&alice) && err.contains("--from"), "{err}");
    // Wrong --from.
    let err = dec(
        &e.p("bob.key"),
        &["--context", "s1", "--from", &e.p("bob.pub")],
    );
    assert!(err.contains("not from"), "{err}");
    // Wrong context.
    let err = dec(
        &e.p("bob.key"),
        &["--context", "s2", "--from", &e.p("alice.pub")],
    );
    assert!(err.contains("decryption failed"), "{err}");
    // Wrong recipient.
    let err = dec(
        &e.p("alice.key"),
        &["--context", "s1", "--from", &e.p("alice.pub")],
    );
    assert!(err.contains("another identity"), "{err}");
    // Tampered and truncated.
    let mut env = std::fs::read(e.path("msg.env")).unwrap();
    let n = env.len();
    env[n - 5] ^= 1;
    e.write("bad.env", &env);
    let err = e.fails(
        &[
            "decrypt",
            "--key",
            &e.p("bob.key"),
            "--from",
            &e.p("alice.pub"),
            "--context",
            "s1",
            "--in",
            "bad.env",
        ],
        1,
    );
    assert!(err.contains("decryption failed"), "{err}");
    e.write("short.env", &env[..100]);
    let err = e.fails(
        &[
            "decrypt",
            "--key",
            &e.p("bob.key"),
            "--from",
            &e.p("alice.pub"),
            "--in",
            "short.env",
        ],
        1,
    );
    assert!(err.contains("truncated"), "{err}");
    // A bad recipient argument.
    let err = e.fails(
        &[
            "encrypt",
            "--key",
            &e.p("alice.key"),
            "--to",
            &alice,
            "--in",
            &msg,
        ],
        1,
    );
    assert!(err.contains("is an ID"), "{err}");
    let err = e.fails(
        &[
            "encrypt",
            "--key",
            &e.p("alice.key"),
            "--to",
            "nonsense",
            "--in",
            &msg,
        ],
        1,
    );
    assert!(err.contains("public identity"), "{err}");
}

#[test]
fn compat_format() {
    let e = Env::new();
    e.keygen("bob.key", &[]);
    e.ok(&[
        "export-public",
        "--key",
        &e.p("bob.key"),
        "--out",
        &e.p("bob.pub"),
    ]);
    let msg = e.write("m", b"to a go client");
    // No sender key needed.
    e.ok(&[
        "encrypt",
        "--compat",
        "--to",
        &e.p("bob.pub"),
        "--in",
        &msg,
        "--out",
        &e.p("m.ct"),
    ]);
    assert_eq!(
        std::fs::metadata(e.path("m.ct")).unwrap().len(),
        1088 + 24 + 14 + 16
    );
    let out = e.ok(&[
        "decrypt",
        "--compat",
        "--key",
        &e.p("bob.key"),
        "--in",
        &e.p("m.ct"),
    ]);
    assert_eq!(out, b"to a go client");
    // Not an envelope.
    e.fails(
        &["decrypt", "--key", &e.p("bob.key"), "--in", &e.p("m.ct")],
        1,
    );

    // Signed messages.
    e.ok(&[
        "sign",
        "--compat",
        "--key",
        &e.p("bob.key"),
        "--in",
        &msg,
        "--out",
        &e.p("m.signed"),
    ]);
    let out = e.ok(&[
        "verify",
        "--compat",
        "--key",
        &e.p("bob.pub"),
        "--in",
        &e.p("m.signed"),
    ]);
    assert_eq!(out, b"to a go client");
    let mut signed = std::fs::read(e.path("m.signed")).unwrap();
    *signed.last_mut().unwrap() ^= 1;
    e.write("bad.signed", &signed);
    let err = e.fails(
        &[
            "verify",
            "--compat",
            "--key",
            &e.p("bob.pub"),
            "--in",
            "bad.signed",
        ],
        1,
    );
    assert!(err.contains("NOT valid"), "{err}");
}

#[test]
fn sign_and_verify() {
    let e = Env::new();
    let id = e.keygen("alice.key", &[]);
    e.keygen("bob.key", &[]);
    e.ok(&[
        "export-public",
        "--key",
        &e.p("alice.key"),
        "--out",
        &e.p("alice.pub"),
    ]);
    e.ok(&[
        "export-public",
        "--key",
        &e.p("bob.key"),
        "--out",
        &e.p("bob.pub"),
    ]);
    let msg = e.write("doc", b"I agree");
    let other = e.write("doc2", b"I disagree");

    e.ok(&[
        "sign",
        "--key",
        &e.p("alice.key"),
        "--in",
        &msg,
        "--out",
        &e.p("doc.sig"),
    ]);
    assert_eq!(std::fs::metadata(e.path("doc.sig")).unwrap().len(), 3309);
    let o = e.run(&[
        "verify",
        "--key",
        &e.p("alice.pub"),
        "--sig",
        &e.p("doc.sig"),
        "--in",
        &msg,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&id));

    // Moved to another message, another key, another context.
    let v = |key: &str, input: &str, extra: &[&str]| {
        let mut args = vec!["verify", "--key", key, "--sig", "doc.sig", "--in", input];
        args.extend_from_slice(extra);
        e.fails(&args, 1)
    };
    assert!(v(&e.p("alice.pub"), &other, &[]).contains("NOT valid"));
    assert!(v(&e.p("bob.pub"), &msg, &[]).contains("NOT valid"));
    assert!(v(&e.p("alice.pub"), &msg, &["--context", "c"]).contains("NOT valid"));

    // With a context, hex output, and stdin.
    let sig_hex = e.ok(&[
        "sign",
        "--hex",
        "--context",
        "c",
        "--key",
        &e.p("alice.key"),
        "--in",
        &msg,
    ]);
    e.write("doc.sig.hex", &sig_hex);
    let o = e.run_stdin(
        &[
            "verify",
            "--key",
            &e.p("alice.pub"),
            "--sig",
            "doc.sig.hex",
            "--context",
            "c",
        ],
        b"I agree",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = e.run_stdin(
        &["verify", "--key", &e.p("alice.pub"), "--sig", "doc.sig.hex"],
        b"I agree",
    );
    assert_eq!(o.status.code(), Some(1));
    // Not a signature at all.
    e.write("junk.sig", b"junk");
    let err = e.fails(
        &[
            "verify",
            "--key",
            &e.p("alice.pub"),
            "--sig",
            "junk.sig",
            "--in",
            &msg,
        ],
        1,
    );
    assert!(err.contains("not a signature"), "{err}");
}

#[test]
fn legacy_identity() {
    let e = Env::new();
    let id = e.keygen("old.key", &["--legacy"]);
    assert!(id.starts_with("05"));
    e.ok(&[
        "export-public",
        "--key",
        &e.p("old.key"),
        "--out",
        &e.p("old.pub"),
    ]);
    assert_eq!(
        std::fs::read_to_string(e.path("old.pub"))
            .unwrap()
            .trim()
            .len(),
        64
    );
    let msg = e.write("m", b"legacy message");
    e.ok(&[
        "encrypt",
        "--to",
        &e.p("old.pub"),
        "--in",
        &msg,
        "--out",
        &e.p("m.box"),
    ]);
    assert_eq!(
        e.ok(&["decrypt", "--key", &e.p("old.key"), "--in", &e.p("m.box")]),
        b"legacy message"
    );
    e.ok(&[
        "sign",
        "--key",
        &e.p("old.key"),
        "--in",
        &msg,
        "--out",
        &e.p("m.sig"),
    ]);
    assert_eq!(std::fs::metadata(e.path("m.sig")).unwrap().len(), 64);
    e.ok(&[
        "verify",
        "--key",
        &e.p("old.pub"),
        "--sig",
        &e.p("m.sig"),
        "--in",
        &msg,
    ]);
    e.write("m2", b"legacy messagf");
    e.fails(
        &[
            "verify",
            "--key",
            &e.p("old.pub"),
            "--sig",
            &e.p("m.sig"),
            "--in",
            "m2",
        ],
        1,
    );
    // A legacy key cannot seal v2 envelopes.
    e.keygen("pq.key", &[]);
    e.ok(&[
        "export-public",
        "--key",
        &e.p("pq.key"),
        "--out",
        &e.p("pq.pub"),
    ]);
    let err = e.fails(
        &[
            "encrypt",
            "--key",
            &e.p("old.key"),
            "--to",
            &e.p("pq.pub"),
            "--in",
            &msg,
        ],
        1,
    );
    assert!(err.contains("post-quantum"), "{err}");
}

#[test]
fn passphrase_protected_key() {
    let e = Env::new();
    let out = e.p("locked.key");
    let o = e
        .cmd(&["keygen", "--passphrase", "--out", &out])
        .env("SESSION_PASSPHRASE", "hunter2 but longer")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let id = String::from_utf8(o.stdout).unwrap().trim().to_string();
    let raw = std::fs::read(&out).unwrap();
    assert_eq!(raw.len(), 41 + 52 + 96 + 16);
    // The ID needs no passphrase.
    assert_eq!(
        String::from_utf8(e.ok(&["id", "--key", &out]))
            .unwrap()
            .trim(),
        id
    );
    // The right passphrase unlocks, a wrong one does not.
    let o = e
        .cmd(&["export-public", "--key", &out])
        .env("SESSION_PASSPHRASE", "hunter2 but longer")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = e
        .cmd(&["export-public", "--key", &out])
        .env("SESSION_PASSPHRASE", "wrong")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("wrong passphrase"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn refuses_readable_key_file() {
    use std::os::unix::fs::PermissionsExt;
    let e = Env::new();
    e.keygen("k", &[]);
    std::fs::set_permissions(e.path("k"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = e.fails(&["export-public", "--key", &e.p("k")], 1);
    assert!(err.contains("chmod 600"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let e = Env::new();
    e.fails(&["frobnicate"], 2);
    e.fails(&["encrypt"], 2);
    e.fails(&["verify", "--key", "x"], 2);
    e.fails(&["export-public", "--hex", "--out", "f"], 2);
    e.fails(&[], 2);
    assert!(e.run(&["--help"]).status.success());
    assert!(e.run(&["--version"]).status.success());
}
