//! Reading inputs, writing outputs and resolving public-key arguments.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use session_crypto::PublicKey;
use session_crypto::keyfile;

/// `--in` / `--out`: files, or stdin / stdout by default.
#[derive(Args, Debug, Clone)]
pub struct InOut {
    /// Read input from FILE instead of standard input.
    #[arg(long = "in", short = 'i', value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Write output to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl InOut {
    /// The whole input.
    pub fn read(&self) -> Result<Vec<u8>> {
        read_source(self.input.as_deref())
    }

    /// Writes binary output; refuses to spill it onto a terminal.
    pub fn write_binary(&self, bytes: &[u8]) -> Result<()> {
        if self.out.is_none() && std::io::stdout().is_terminal() {
            bail!("refusing to write binary output to a terminal: use --out FILE or redirect it");
        }
        self.write(bytes)
    }

    /// Writes output as is.
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        match &self.out {
            Some(path) => std::fs::write(path, bytes)
                .with_context(|| format!("cannot write {}", path.display())),
            None => {
                let mut out = std::io::stdout().lock();
                out.write_all(bytes)
                    .and_then(|()| out.flush())
                    .context("cannot write to standard output")
            }
        }
    }
}

/// Reads a whole file, or standard input for `None` or `-`.
pub fn read_source(path: Option<&Path>) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    match path {
        Some(p) if p != Path::new("-") => {
            return std::fs::read(p).with_context(|| format!("cannot read {}", p.display()));
        }
        _ => std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?,
    };
    Ok(buf)
}

/// Resolves a public key argument: a file (hex text or raw bytes) or the hex
/// itself.
pub fn public_key_arg(arg: &str) -> Result<PublicKey> {
    let path = Path::new(arg);
    if path.is_file() {
        return keyfile::read_public_file(path)
            .with_context(|| format!("{arg} is not a public identity file"));
    }
    let t = arg.trim();
    if t.len() == 66 && (t.starts_with("07") || t.starts_with("05")) {
        bail!(
            "{t} is an ID, not a public identity: ask its owner for `session export-public` output"
        );
    }
    PublicKey::from_hex(t).with_context(|| {
        format!("{arg:.20}… is neither a readable file nor a public identity in hex")
    })
}
