//! Public halves: [`PublicIdentity`], [`Signature`], [`KemCiphertext`].

use std::fmt;
use std::sync::{Arc, OnceLock};

use libcrux_ml_dsa::VerificationError;
use libcrux_ml_dsa::ml_dsa_65::{
    self, MLDSA65PreparedVerificationKey, MLDSA65Signature, MLDSA65VerificationKey,
};
use libcrux_ml_kem::mlkem768::{self, MlKem768Ciphertext, MlKem768PublicKey};

use crate::error::{Error, Result};
use crate::hash::blake2b_256_parts;
use crate::id::IdentityId;
use crate::identity::SharedSecret;
use crate::random;
use crate::sizes::{
    DSA_PUBLIC_KEY_LEN, KEM_CIPHERTEXT_LEN, KEM_PUBLIC_KEY_LEN, MAX_CONTEXT_LEN,
    PUBLIC_IDENTITY_LEN, SHARED_SECRET_LEN, SIGNATURE_LEN,
};

/// The public half of a post-quantum identity: an ML-KEM-768 encapsulation
/// key followed by an ML-DSA-65 verification key (`kem_pk ‖ dsa_pk`, 3136
/// bytes).
///
/// Cloning is cheap (the keys are shared behind an `Arc`), and the
/// [`IdentityId`] is computed once, when the value is built. Verification
/// passes the stored key straight to ML-DSA: nothing is re-parsed or copied.
///
/// A key that verifies many signatures can be [prepared](Self::prepare)
/// once: most of an ML-DSA verification (expanding the public matrix,
/// transforming and hashing the key) depends on the key alone.
#[derive(Clone)]
pub struct PublicIdentity {
    inner: Arc<PublicInner>,
}

struct PublicInner {
    kem: MlKem768PublicKey,
    dsa: MLDSA65VerificationKey,
    id: IdentityId,
    /// Set by [`PublicIdentity::prepare`]; shared by every clone.
    prepared: OnceLock<MLDSA65PreparedVerificationKey>,
}

impl PublicIdentity {
    /// Parses `kem_pk ‖ dsa_pk`: exactly [`PUBLIC_IDENTITY_LEN`] bytes, and the
    /// ML-KEM key must pass the FIPS 203 encapsulation-key check.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != PUBLIC_IDENTITY_LEN {
            return Err(Error::length(
                "public identity",
                PUBLIC_IDENTITY_LEN,
                bytes.len(),
            ));
        }
        let (kem, dsa) = bytes.split_at(KEM_PUBLIC_KEY_LEN);
        let kem: [u8; KEM_PUBLIC_KEY_LEN] = kem.try_into().expect("split at the KEM key length");
        let dsa: [u8; DSA_PUBLIC_KEY_LEN] =
            dsa.try_into().expect("remaining bytes are the DSA key");
        Self::from_parts(kem, dsa)
    }

    /// Builds a public identity from its two keys, validating the ML-KEM key.
    pub fn from_parts(
        kem_pk: [u8; KEM_PUBLIC_KEY_LEN],
        dsa_pk: [u8; DSA_PUBLIC_KEY_LEN],
    ) -> Result<Self> {
        let kem = MlKem768PublicKey::from(kem_pk);
        if !mlkem768::validate_public_key(&kem) {
            return Err(Error::InvalidPublicKey);
        }
        Ok(Self::from_trusted(kem, MLDSA65VerificationKey::new(dsa_pk)))
    }

    /// Builds from keys that came out of our own key generation.
    pub(crate) fn from_trusted(kem: MlKem768PublicKey, dsa: MLDSA65VerificationKey) -> Self {
        let id = IdentityId(blake2b_256_parts(&[kem.as_slice(), dsa.as_slice()]));
        PublicIdentity {
            inner: Arc::new(PublicInner {
                kem,
                dsa,
                id,
                prepared: OnceLock::new(),
            }),
        }
    }

    /// Parses the hex form of [`to_bytes`](Self::to_bytes) (6272 hex digits;
    /// surrounding whitespace is ignored).
    pub fn from_hex(text: &str) -> Result<Self> {
        let text = text.trim();
        if text.len() != 2 * PUBLIC_IDENTITY_LEN {
            return Err(Error::length(
                "public identity hex",
                2 * PUBLIC_IDENTITY_LEN,
                text.len(),
            ));
        }
        let mut buf = vec![0u8; PUBLIC_IDENTITY_LEN];
        hex::decode_to_slice(text, &mut buf)
            .map_err(|_| Error::Malformed("public identity hex"))?;
        Self::from_bytes(&buf)
    }

    /// `kem_pk ‖ dsa_pk`, [`PUBLIC_IDENTITY_LEN`] bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(PUBLIC_IDENTITY_LEN);
        out.extend_from_slice(self.kem_public_key());
        out.extend_from_slice(self.dsa_public_key());
        out
    }

    /// Lowercase hex of [`to_bytes`](Self::to_bytes).
    pub fn to_hex(&self) -> String {
        hex::encode(self.to_bytes())
    }

    /// This identity's ID (computed once, at construction).
    pub fn id(&self) -> IdentityId {
        self.inner.id
    }

    /// The ML-KEM-768 encapsulation key.
    pub fn kem_public_key(&self) -> &[u8; KEM_PUBLIC_KEY_LEN] {
        self.inner.kem.as_slice()
    }

    /// The ML-DSA-65 verification key.
    pub fn dsa_public_key(&self) -> &[u8; DSA_PUBLIC_KEY_LEN] {
        self.inner.dsa.as_ref()
    }

    /// Verifies a FIPS 204 (pure ML-DSA-65) signature over `msg` with the
    /// empty context string.
    pub fn verify(&self, msg: &[u8], sig: &Signature) -> Result<()> {
        self.verify_with_context(msg, &[], sig)
    }

    /// Verifies a FIPS 204 signature over `msg` with context string `ctx`
    /// (at most 255 bytes).
    pub fn verify_with_context(&self, msg: &[u8], ctx: &[u8], sig: &Signature) -> Result<()> {
        if ctx.len() > MAX_CONTEXT_LEN {
            return Err(Error::ContextTooLong);
        }
        let verdict = match self.inner.prepared.get() {
            Some(prepared) => prepared.verify(msg, ctx, &sig.0),
            None => ml_dsa_65::verify(&self.inner.dsa, msg, ctx, &sig.0),
        };
        verdict.map_err(|e| match e {
            VerificationError::VerificationContextTooLongError => Error::ContextTooLong,
            _ => Error::BadSignature,
        })
    }

    /// Prepares this key (and every clone of it) for repeated verification:
    /// later [`verify`](Self::verify) calls skip the work that depends on
    /// the key alone, which is more than half of a verification.
    ///
    /// Costs about one verification once, and keeps ~36 KiB more in memory
    /// for as long as the key lives: prepare the keys you keep and use
    /// often (a cache of active senders), not every key you see once.
    /// Preparing twice does nothing the second time. Results never change:
    /// a prepared key accepts exactly the signatures the plain key accepts.
    ///
    /// ```
    /// use session_crypto::Identity;
    ///
    /// let alice = Identity::generate();
    /// let sig = alice.sign(b"hello");
    /// let public = alice.public().clone();
    /// public.prepare();
    /// assert!(public.is_prepared());
    /// public.verify(b"hello", &sig).unwrap();
    /// assert!(public.verify(b"hullo", &sig).is_err());
    /// ```
    pub fn prepare(&self) -> &Self {
        self.inner
            .prepared
            .get_or_init(|| MLDSA65PreparedVerificationKey::new(&self.inner.dsa));
        self
    }

    /// Whether [`prepare`](Self::prepare) has run on this key.
    pub fn is_prepared(&self) -> bool {
        self.inner.prepared.get().is_some()
    }

    /// Encapsulates a fresh shared secret to this identity's ML-KEM key,
    /// with randomness from the operating system.
    pub fn encapsulate(&self) -> Result<(KemCiphertext, SharedSecret)> {
        let mut m = random::array::<SHARED_SECRET_LEN>();
        let out = self.encapsulate_derand(&m);
        zeroize::Zeroize::zeroize(&mut m);
        Ok(out)
    }

    /// Encapsulates with caller-supplied randomness `m` (FIPS 203
    /// `ML-KEM.Encaps_internal`). Only for test vectors: reusing `m` reuses
    /// the shared secret.
    pub fn encapsulate_derand(&self, m: &[u8; SHARED_SECRET_LEN]) -> (KemCiphertext, SharedSecret) {
        let (ct, ss) = mlkem768::encapsulate(&self.inner.kem, *m);
        (KemCiphertext(ct), SharedSecret::new(ss))
    }
}

impl PartialEq for PublicIdentity {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
            || (self.inner.id == other.inner.id
                && self.kem_public_key() == other.kem_public_key()
                && self.dsa_public_key() == other.dsa_public_key())
    }
}

impl Eq for PublicIdentity {}

impl fmt::Debug for PublicIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicIdentity")
            .field("id", &format_args!("{}", self.inner.id))
            .finish_non_exhaustive()
    }
}

/// An ML-DSA-65 signature (FIPS 204), [`SIGNATURE_LEN`] bytes.
#[derive(Clone)]
pub struct Signature(pub(crate) Box<MLDSA65Signature>);

impl Signature {
    /// Parses exactly [`SIGNATURE_LEN`] bytes. (Whether they form a valid
    /// signature is decided by verification.)
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; SIGNATURE_LEN] = bytes
            .try_into()
            .map_err(|_| Error::length("signature", SIGNATURE_LEN, bytes.len()))?;
        Ok(Signature(Box::new(MLDSA65Signature::new(arr))))
    }

    /// The signature's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// The signature's bytes, as an array.
    pub fn as_array(&self) -> &[u8; SIGNATURE_LEN] {
        MLDSA65Signature::as_ref(&self.0)
    }
}

impl PartialEq for Signature {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Signature {}

impl AsRef<[u8]> for Signature {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({}…)", hex::encode(&self.as_bytes()[..8]))
    }
}

/// An ML-KEM-768 ciphertext, [`KEM_CIPHERTEXT_LEN`] bytes.
#[derive(Clone)]
pub struct KemCiphertext(pub(crate) MlKem768Ciphertext);

impl KemCiphertext {
    /// Parses exactly [`KEM_CIPHERTEXT_LEN`] bytes. Every such byte string
    /// decapsulates (ML-KEM rejects implicitly, yielding an unrelated secret).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; KEM_CIPHERTEXT_LEN] = bytes
            .try_into()
            .map_err(|_| Error::length("KEM ciphertext", KEM_CIPHERTEXT_LEN, bytes.len()))?;
        Ok(KemCiphertext(MlKem768Ciphertext::from(arr)))
    }

    /// The ciphertext's bytes.
    pub fn as_bytes(&self) -> &[u8; KEM_CIPHERTEXT_LEN] {
        self.0.as_slice()
    }
}

impl PartialEq for KemCiphertext {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for KemCiphertext {}

impl AsRef<[u8]> for KemCiphertext {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl fmt::Debug for KemCiphertext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KemCiphertext({}…)", hex::encode(&self.as_bytes()[..8]))
    }
}
