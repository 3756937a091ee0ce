//! Message bodies the CLI stores in SessionVM: one sealed envelope (v2) per
//! recipient, the sender included so it can read its own history.
//!
//! ```text
//! bundle = 0x01 ‖ count(u16) ‖ (len(u32) ‖ envelope) × count
//! ```
//!
//! Each envelope names its recipient in its header, so a reader picks its own
//! without trying the others.

use anyhow::{Result, bail};
use session_core::codec::{Reader, Writer};
use session_crypto::{Identity, IdentityId, PublicIdentity, envelope};

/// Bundle format version.
pub const VERSION: u8 = 1;
/// Most envelopes in one bundle.
pub const MAX_RECIPIENTS: usize = 1024;
/// Largest single envelope accepted.
pub const MAX_ENVELOPE: usize = 1 << 20;

/// Seals `plaintext` from `sender` to every recipient, bound to `context`.
pub fn seal(
    sender: &Identity,
    recipients: &[PublicIdentity],
    context: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    if recipients.is_empty() || recipients.len() > MAX_RECIPIENTS {
        bail!("a message needs 1 to {MAX_RECIPIENTS} recipients");
    }
    let mut w = Writer::new();
    w.u8(VERSION);
    w.u16(u16::try_from(recipients.len()).expect("bounded above"));
    for r in recipients {
        w.bytes(&envelope::seal(sender, r, context, plaintext)?);
    }
    Ok(w.into_bytes())
}

/// The envelopes of a bundle; never panics on hostile bytes.
pub fn envelopes(bundle: &[u8]) -> Result<Vec<&[u8]>> {
    let mut r = Reader::new(bundle);
    if r.u8()? != VERSION {
        bail!("not a message bundle this client understands");
    }
    let count = usize::from(r.u16()?);
    if count == 0 || count > MAX_RECIPIENTS {
        bail!("bad recipient count");
    }
    let mut out = Vec::with_capacity(count.min(64));
    for _ in 0..count {
        out.push(r.bytes(MAX_ENVELOPE, "envelope")?);
    }
    r.finish()?;
    Ok(out)
}

/// Opens the envelope meant for `me`; `keys` gives senders' public identities.
pub fn open(
    me: &Identity,
    context: &[u8],
    bundle: &[u8],
    keys: impl Fn(&IdentityId) -> Option<PublicIdentity>,
) -> Result<envelope::Opened> {
    let my_id = me.id();
    for env in envelopes(bundle)? {
        if envelope::recipient_of(env).ok() == Some(my_id) {
            return Ok(envelope::open(me, context, env, keys)?);
        }
    }
    bail!("this message has no copy for you")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let (a, b, c) = (
            Identity::generate(),
            Identity::generate(),
            Identity::generate(),
        );
        let keys = |id: &IdentityId| {
            [&a, &b]
                .into_iter()
                .find(|x| x.id() == *id)
                .map(|x| x.public().clone())
        };
        let bundle = seal(&a, &[a.public().clone(), b.public().clone()], b"ctx", b"hi").unwrap();
        for me in [&a, &b] {
            let opened = open(me, b"ctx", &bundle, keys).unwrap();
            assert_eq!(&opened.plaintext[..], b"hi");
            assert_eq!(opened.sender, a.id());
        }
        assert!(open(&c, b"ctx", &bundle, keys).is_err());
        assert!(open(&b, b"other", &bundle, keys).is_err());
        for cut in [0, 1, 3, 10, bundle.len() - 1] {
            assert!(open(&b, b"ctx", &bundle[..cut], keys).is_err());
        }
    }
}
