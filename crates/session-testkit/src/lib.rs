//! Test support shared by the workspace's crates.
//!
//! Every crate that decodes untrusted bytes has cargo-fuzz targets in `fuzz/`
//! whose entry points live in the crate itself (a `fuzz` module). The corpora
//! the fuzzers keep are committed under `fuzz/corpus/<target>/`, and each crate
//! replays them in `cargo test` with [`replay_corpus`], so every input a fuzzer
//! ever found interesting is re-checked on every run, on the stable toolchain.
//!
//! ```no_run
//! // tests/fuzz_corpus.rs of a crate with a `fuzz::frame(&[u8])` entry point:
//! # mod fuzz { pub fn frame(_: &[u8]) {} }
//! #[test]
//! fn replay_frame() {
//!     session_testkit::replay_corpus("net_frame", fuzz::frame);
//! }
//! ```

use std::fs;
use std::path::PathBuf;

/// `fuzz/corpus/<target>` of this workspace.
pub fn corpus_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

/// Runs `run` on every file of `target`'s corpus; returns how many there were.
///
/// # Panics
///
/// If the corpus is missing, unreadable or empty (a replay that checks nothing
/// must fail), or if `run` panics on an input (the point of the replay).
pub fn replay_corpus(target: &str, mut run: impl FnMut(&[u8])) -> usize {
    let dir = corpus_dir(target);
    let entries =
        fs::read_dir(&dir).unwrap_or_else(|e| panic!("corpus {} missing: {e}", dir.display()));
    let mut n = 0;
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .path();
        if path.is_file() {
            let bytes =
                fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            run(&bytes);
            n += 1;
        }
    }
    assert!(n > 0, "corpus {} is empty", dir.display());
    n
}

/// Writes a hand-made seed input `seed-<name>` into `target`'s corpus, unless
/// it exists (signatures are randomized, so rewriting would churn the
/// committed files; delete the `seed-*` files to regenerate them all).
///
/// # Panics
///
/// If the corpus directory cannot be created or the file written.
pub fn write_seed(target: &str, name: &str, bytes: &[u8]) {
    let dir = corpus_dir(target);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    let path = dir.join(format!("seed-{name}"));
    if !path.exists() {
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replays_every_file_of_a_committed_corpus() {
        let mut seen = 0;
        let n = replay_corpus("core_merkle", |_| seen += 1);
        assert!(n > 0);
        assert_eq!(n, seen);
    }

    #[test]
    #[should_panic(expected = "missing")]
    fn a_missing_corpus_fails() {
        replay_corpus("no-such-target", |_| {});
    }
}
