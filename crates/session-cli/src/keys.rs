//! `keygen`, `id`, `export-public`, and loading the user's key file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use session_crypto::keyfile::{self, KdfParams};
use session_crypto::legacy::LegacyIdentity;
use session_crypto::{Error, Identity, SecretKey};
use zeroize::Zeroizing;

/// Environment variable naming the key file.
pub const KEY_ENV: &str = "SESSION_KEY";
/// Environment variable holding the key file's passphrase (for scripts).
pub const PASSPHRASE_ENV: &str = "SESSION_PASSPHRASE";

/// Where the secret key file is.
#[derive(Args, Debug, Clone, Default)]
pub struct KeyArgs {
    /// Secret key file (default: $SESSION_KEY, else identity.key in the
    /// user's config directory under lux-session/).
    #[arg(long, value_name = "FILE", env = KEY_ENV)]
    pub key: Option<PathBuf>,
}

impl KeyArgs {
    /// The key file path: `--key`, `$SESSION_KEY`, or the default.
    pub fn path(&self) -> Result<PathBuf> {
        match &self.key {
            Some(p) => Ok(p.clone()),
            None => default_key_path(),
        }
    }

    /// Loads and unlocks the key, asking for a passphrase if needed.
    pub fn load(&self) -> Result<SecretKey> {
        let path = self.path()?;
        let file = keyfile::read_key_file(&path).map_err(|e| explain_load_error(&path, e))?;
        let pass = if file.is_encrypted() {
            Some(read_passphrase(
                &format!("Passphrase for {}: ", path.display()),
                false,
            )?)
        } else {
            None
        };
        file.unlock(pass.as_ref().map(|p| p.as_bytes()))
            .with_context(|| format!("cannot unlock {}", path.display()))
    }

    /// Loads the key, which must be a post-quantum identity.
    pub fn load_pq(&self) -> Result<Identity> {
        self.load()?
            .into_pq()
            .context("this needs a post-quantum (07) key; the key file holds a legacy (05) one")
    }
}

fn explain_load_error(path: &Path, e: Error) -> anyhow::Error {
    match &e {
        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            anyhow::anyhow!(
                "no key file at {}: create one with `session keygen`, or pass --key FILE",
                path.display()
            )
        }
        _ => anyhow::Error::new(e).context(format!("cannot load key file {}", path.display())),
    }
}

/// `~/.config/lux-session/identity.key` (or the platform's equivalent).
pub fn default_key_path() -> Result<PathBuf> {
    let dir = dirs::config_dir()
        .context("cannot find the user's config directory: pass --key FILE or set SESSION_KEY")?;
    Ok(dir.join("lux-session").join("identity.key"))
}

/// Reads a passphrase from `$SESSION_PASSPHRASE` or the terminal.
pub fn read_passphrase(prompt: &str, confirm: bool) -> Result<Zeroizing<String>> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(Zeroizing::new(p));
    }
    let p = Zeroizing::new(rpassword::prompt_password(prompt).with_context(|| {
        format!("cannot read a passphrase from the terminal (set {PASSPHRASE_ENV} for scripts)")
    })?);
    if confirm {
        let again = Zeroizing::new(
            rpassword::prompt_password("Repeat passphrase: ")
                .context("cannot read a passphrase from the terminal")?,
        );
        if *again != *p {
            bail!("the passphrases do not match");
        }
    }
    if p.is_empty() {
        bail!("empty passphrase");
    }
    Ok(p)
}

/// Key management commands.
#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Create a new identity and save it to a key file (mode 0600).
    Keygen {
        /// Make a legacy 05 identity (Ed25519/X25519) instead of a post-quantum one.
        #[arg(long)]
        legacy: bool,
        /// Where to write the key (default: --key's default location). Never overwrites.
        #[arg(long, short = 'o', value_name = "FILE")]
        out: Option<PathBuf>,
        /// Encrypt the key file with a passphrase (Argon2id), read from the
        /// terminal or $SESSION_PASSPHRASE.
        #[arg(long)]
        passphrase: bool,
        /// Your secret key file.
        #[command(flatten)]
        key: KeyArgs,
    },
    /// Print the ID (07… or 05…) of your key. Needs no passphrase.
    Id {
        /// Your secret key file.
        #[command(flatten)]
        key: KeyArgs,
    },
    /// Print your public identity as hex, or write it to a file, for others to encrypt to you.
    ExportPublic {
        /// Print hex to standard output (the default).
        #[arg(long, conflicts_with = "out")]
        hex: bool,
        /// Write the public identity to FILE (hex text) instead.
        #[arg(long, short = 'o', value_name = "FILE")]
        out: Option<PathBuf>,
        /// Your secret key file.
        #[command(flatten)]
        key: KeyArgs,
    },
}

/// Runs a key command.
pub fn run(cmd: KeyCommand) -> Result<()> {
    match cmd {
        KeyCommand::Keygen {
            legacy,
            out,
            passphrase,
            key,
        } => keygen(legacy, out, passphrase, &key),
        KeyCommand::Id { key } => {
            let path = key.path()?;
            let file = keyfile::read_key_file(&path).map_err(|e| explain_load_error(&path, e))?;
            println!("{}", file.id_string());
            Ok(())
        }
        KeyCommand::ExportPublic { hex: _, out, key } => {
            let public = key.load()?.public();
            match out {
                Some(path) => {
                    keyfile::write_public_file(&path, &public)?;
                    eprintln!(
                        "wrote the public identity of {} to {}",
                        public.id_string(),
                        path.display()
                    );
                }
                None => println!("{}", public.to_hex()),
            }
            Ok(())
        }
    }
}

fn keygen(legacy: bool, out: Option<PathBuf>, protect: bool, key: &KeyArgs) -> Result<()> {
    let (path, is_default) = match out {
        Some(p) => (p, false),
        None => (key.path()?, key.key.is_none()),
    };
    if path.exists() {
        bail!(
            "{} already exists; refusing to overwrite a key (choose another --out)",
            path.display()
        );
    }
    if is_default && let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let secret = if legacy {
        SecretKey::Legacy(LegacyIdentity::generate())
    } else {
        SecretKey::Pq(Identity::generate())
    };
    let pass = if protect {
        Some(read_passphrase("New passphrase: ", true)?)
    } else {
        None
    };
    keyfile::write_key_file(
        &path,
        &secret,
        pass.as_ref().map(|p| (p.as_bytes(), KdfParams::default())),
    )?;
    println!("{}", secret.id_string());
    eprintln!("wrote key to {}", path.display());
    Ok(())
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))
}
