//! `encrypt` and `decrypt`.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use session_crypto::{Error, PublicKey, SecretKey, compat, envelope};

use crate::io::{InOut, public_key_arg};
use crate::keys::KeyArgs;

/// Options of `encrypt`.
#[derive(Args, Debug)]
pub struct EncryptArgs {
    /// The recipient: a public identity file, or its hex (from `session export-public`).
    #[arg(long, value_name = "PUBLIC")]
    pub to: String,
    /// Use the Go reference's format (kem_ct ‖ nonce ‖ ciphertext): anonymous and
    /// unsigned, for Go clients. Needs no key of your own.
    #[arg(long)]
    pub compat: bool,
    /// Context the message is bound to (e.g. a session ID); the recipient must give the same.
    #[arg(long, default_value = "")]
    pub context: String,
    /// Input and output files.
    #[command(flatten)]
    pub io: InOut,
    /// Your key, to sign the envelope.
    #[command(flatten)]
    pub key: KeyArgs,
}

/// Options of `decrypt`.
#[derive(Args, Debug)]
pub struct DecryptArgs {
    /// The expected sender's public identity (file or hex); needed to verify a sealed envelope.
    #[arg(long, value_name = "PUBLIC")]
    pub from: Option<String>,
    /// The input is in the Go reference's format (see `encrypt --compat`).
    #[arg(long)]
    pub compat: bool,
    /// Context the message was bound to.
    #[arg(long, default_value = "")]
    pub context: String,
    /// Input and output files.
    #[command(flatten)]
    pub io: InOut,
    /// Your secret key file.
    #[command(flatten)]
    pub key: KeyArgs,
}

/// Encryption commands.
#[derive(Subcommand, Debug)]
pub enum CryptCommand {
    /// Encrypt to a public identity: a signed, sealed envelope by default.
    Encrypt(EncryptArgs),
    /// Decrypt a message sent to your key, verifying its sender.
    Decrypt(DecryptArgs),
}

/// Runs an encryption command.
pub fn run(cmd: CryptCommand) -> Result<()> {
    match cmd {
        CryptCommand::Encrypt(a) => encrypt(a),
        CryptCommand::Decrypt(a) => decrypt(a),
    }
}

fn encrypt(a: EncryptArgs) -> Result<()> {
    let recipient = public_key_arg(&a.to)?;
    let plaintext = zeroize::Zeroizing::new(a.io.read()?);
    let out = match &recipient {
        PublicKey::Pq(r) if a.compat => {
            if !a.context.is_empty() {
                bail!(
                    "--context cannot be used with --compat (the reference format has no context)"
                );
            }
            compat::encrypt_to_recipient(r, &plaintext)?
        }
        PublicKey::Pq(r) => {
            let me = a.key.load_pq()?;
            envelope::seal(&me, r, a.context.as_bytes(), &plaintext)?
        }
        PublicKey::Legacy(r) => {
            if a.compat || !a.context.is_empty() {
                bail!("--compat and --context apply only to post-quantum (07) recipients");
            }
            r.encrypt(&plaintext)?
        }
    };
    a.io.write_binary(&out)
}

fn decrypt(a: DecryptArgs) -> Result<()> {
    let input = a.io.read()?;
    let me = a.key.load()?;
    let plaintext = match &me {
        SecretKey::Legacy(l) => {
            if a.compat || a.from.is_some() || !a.context.is_empty() {
                bail!("--compat, --from and --context do not apply to a legacy (05) key");
            }
            l.decrypt(&input)?
        }
        SecretKey::Pq(i) if a.compat => {
            if a.from.is_some() || !a.context.is_empty() {
                bail!("the --compat format is anonymous and has no context: drop --from/--context");
            }
            compat::decrypt_from(i, &input)?
        }
        SecretKey::Pq(i) => {
            let from = match &a.from {
                Some(f) => match public_key_arg(f)? {
                    PublicKey::Pq(p) => Some(p),
                    PublicKey::Legacy(_) => bail!("--from must be a post-quantum (07) identity"),
                },
                None => None,
            };
            let opened = envelope::open(i, a.context.as_bytes(), &input, |_| from.clone());
            match opened {
                Ok(o) => {
                    eprintln!("verified sender: {}", o.sender);
                    o.plaintext
                }
                Err(Error::UnknownSender(id)) => match &from {
                    None => bail!(
                        "the message is from {id}; pass --from <their public identity> to verify it"
                    ),
                    Some(p) => bail!("the message is from {id}, not from {} (--from)", p.id()),
                },
                Err(Error::DecryptionFailed) => bail!(
                    "decryption failed: the message was modified, or was sealed with another --context"
                ),
                Err(e) => return Err(e).context("cannot open the envelope"),
            }
        }
    };
    a.io.write(&plaintext)
}
