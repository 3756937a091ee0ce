//! The address book: a JSON object mapping names to public identities (hex),
//! e.g. `{"bob": "4f1c…"}` in `<config dir>/lux-session/contacts.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use session_crypto::PublicKey;
use session_crypto::keyfile::read_public_file;
use session_crypto::{IdentityId, PublicIdentity};

/// Largest address book read.
const MAX_FILE: u64 = 16 << 20;

/// Names and their public identities.
#[derive(Debug, Default)]
pub struct Contacts {
    entries: BTreeMap<String, PublicIdentity>,
}

/// The default address book path.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("lux-session").join("contacts.json"))
}

impl Contacts {
    /// Loads `path` (or the default); a missing default file is an empty book.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let (path, explicit) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => match default_path() {
                Some(p) => (p, false),
                None => return Ok(Self::default()),
            },
        };
        if !explicit && !path.exists() {
            return Ok(Self::default());
        }
        let meta = std::fs::metadata(&path)
            .with_context(|| format!("cannot read contacts {}", path.display()))?;
        if meta.len() > MAX_FILE {
            bail!("contacts file {} is too large", path.display());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read contacts {}", path.display()))?;
        let raw: BTreeMap<String, String> = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} must be a JSON object of name: public identity hex",
                path.display()
            )
        })?;
        let mut entries = BTreeMap::new();
        for (name, hex_key) in raw {
            let key = PublicIdentity::from_hex(hex_key.trim()).with_context(|| {
                format!("contact {name:?} is not a post-quantum public identity")
            })?;
            entries.insert(name, key);
        }
        Ok(Self { entries })
    }

    /// Resolves a participant given as a contact name, a public identity file,
    /// public identity hex, or a `07…` ID present in the book.
    pub fn resolve(&self, who: &str) -> Result<PublicIdentity> {
        if let Some(k) = self.entries.get(who) {
            return Ok(k.clone());
        }
        if let Ok(id) = who.parse::<IdentityId>() {
            return self
                .entries
                .values()
                .find(|k| k.id() == id)
                .cloned()
                .with_context(|| {
                    format!("{who} is not in your contacts: give its public identity")
                });
        }
        if let Ok(k) = PublicIdentity::from_hex(who) {
            return Ok(k);
        }
        let path = Path::new(who);
        if path.is_file() {
            return match read_public_file(path)? {
                PublicKey::Pq(k) => Ok(k),
                PublicKey::Legacy(_) => {
                    bail!("{who} is a legacy (05) key; SessionVM needs a 07 identity")
                }
            };
        }
        bail!("{who:?} is not a contact name, a public identity file, its hex, or a known 07 ID")
    }

    /// A contact's name, or a short form of the ID.
    pub fn name_of(&self, id: &IdentityId) -> String {
        self.entries
            .iter()
            .find(|(_, k)| k.id() == *id)
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| {
                let full = id.to_string();
                format!("{}…", &full[..14.min(full.len())])
            })
    }
}
