//! `sign` and `verify`.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use session_crypto::legacy::LEGACY_SIGNATURE_LEN;
use session_crypto::{PublicKey, SIGNATURE_LEN, SecretKey, Signature, compat};

use crate::io::{InOut, public_key_arg, read_source};
use crate::keys::KeyArgs;

/// Options of `sign`.
#[derive(Args, Debug)]
pub struct SignArgs {
    /// ML-DSA context string (at most 255 bytes) the signature is bound to.
    #[arg(long, default_value = "")]
    pub context: String,
    /// Output the Go reference's signed message (signature ‖ message) instead
    /// of a detached signature.
    #[arg(long)]
    pub compat: bool,
    /// Write the signature as hex text instead of binary.
    #[arg(long)]
    pub hex: bool,
    /// Input and output files.
    #[command(flatten)]
    pub io: InOut,
    /// Your secret key file.
    #[command(flatten)]
    pub key: KeyArgs,
}

/// Options of `verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The signer's public identity (file or hex).
    #[arg(long, value_name = "PUBLIC")]
    pub key: String,
    /// The detached signature file (binary or hex). Not used with --compat.
    #[arg(long, value_name = "FILE", required_unless_present = "compat")]
    pub sig: Option<std::path::PathBuf>,
    /// Context string the signature was made with.
    #[arg(long, default_value = "")]
    pub context: String,
    /// The input is a signed message (signature ‖ message); on success the
    /// message is written to the output.
    #[arg(long, conflicts_with = "sig")]
    pub compat: bool,
    /// Input and output files.
    #[command(flatten)]
    pub io: InOut,
}

/// Signature commands.
#[derive(Subcommand, Debug)]
pub enum SignCommand {
    /// Sign a message with your key (detached signature by default).
    Sign(SignArgs),
    /// Verify a signature; exits with status 1 if it is not valid.
    Verify(VerifyArgs),
}

/// Runs a signature command.
pub fn run(cmd: SignCommand) -> Result<()> {
    match cmd {
        SignCommand::Sign(a) => sign(a),
        SignCommand::Verify(a) => verify(a),
    }
}

fn sign(a: SignArgs) -> Result<()> {
    let msg = a.io.read()?;
    let me = a.key.load()?;
    let out = match &me {
        SecretKey::Pq(i) if a.compat => {
            if !a.context.is_empty() {
                bail!("--context cannot be used with --compat");
            }
            compat::sign_message(i, &msg)
        }
        SecretKey::Pq(i) => i
            .sign_with_context(&msg, a.context.as_bytes())?
            .as_bytes()
            .to_vec(),
        SecretKey::Legacy(l) => {
            if a.compat || !a.context.is_empty() {
                bail!("--compat and --context apply only to post-quantum (07) keys");
            }
            l.sign(&msg).to_vec()
        }
    };
    if a.hex {
        a.io.write(format!("{}\n", hex::encode(out)).as_bytes())
    } else {
        a.io.write_binary(&out)
    }
}

/// Reads a signature file holding `len` raw bytes or their hex.
fn read_signature(path: &std::path::Path, len: usize) -> Result<Vec<u8>> {
    let raw = read_source(Some(path))?;
    if raw.len() == len {
        return Ok(raw);
    }
    let text = std::str::from_utf8(&raw).ok().map(str::trim);
    match text {
        Some(t) if t.len() == 2 * len => {
            hex::decode(t).with_context(|| format!("{} is not a valid signature", path.display()))
        }
        _ => bail!(
            "{} is not a signature: expected {len} bytes (or {} hex digits), found {} bytes",
            path.display(),
            2 * len,
            raw.len()
        ),
    }
}

fn verify(a: VerifyArgs) -> Result<()> {
    let signer = public_key_arg(&a.key)?;
    let input = a.io.read()?;
    let ok = match &signer {
        PublicKey::Pq(p) if a.compat => {
            if !a.context.is_empty() {
                bail!("--context cannot be used with --compat");
            }
            let msg = compat::verify_message(p, &input).map_err(invalid)?;
            eprintln!("valid signature by {}", p.id());
            return a.io.write(msg);
        }
        PublicKey::Pq(p) => {
            let path = a.sig.as_deref().context("--sig FILE is required")?;
            let sig = Signature::from_bytes(&read_signature(path, SIGNATURE_LEN)?)?;
            p.verify_with_context(&input, a.context.as_bytes(), &sig)
        }
        PublicKey::Legacy(l) => {
            if a.compat || !a.context.is_empty() {
                bail!("--compat and --context apply only to post-quantum (07) keys");
            }
            let path = a.sig.as_deref().context("--sig FILE is required")?;
            l.verify(&input, &read_signature(path, LEGACY_SIGNATURE_LEN)?)
        }
    };
    ok.map_err(invalid)?;
    eprintln!("valid signature by {}", signer.id_string());
    Ok(())
}

fn invalid(e: session_crypto::Error) -> anyhow::Error {
    anyhow::Error::new(e).context("the signature is NOT valid")
}
