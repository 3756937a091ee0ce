//! The secret half of a post-quantum identity, and shared secrets.

use std::fmt;

use libcrux_ml_dsa::SigningError;
use libcrux_ml_dsa::ml_dsa_65::{self, MLDSA65SigningKey};
use libcrux_ml_kem::mlkem768::{self, MlKem768PrivateKey};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::error::{Error, Result};
use crate::id::IdentityId;
use crate::public::{KemCiphertext, PublicIdentity, Signature};
use crate::random;
use crate::sizes::{DSA_SEED_LEN, KEM_SEED_LEN, MAX_CONTEXT_LEN, SHARED_SECRET_LEN};

/// How many fresh nonces hedged signing tries before giving up. libcrux
/// bounds its rejection-sampling loop; failing it even once has probability
/// below 2⁻¹²⁸, so this is belt and braces.
const SIGN_ATTEMPTS: usize = 8;

/// A post-quantum identity: ML-KEM-768 and ML-DSA-65 key pairs.
///
/// The secret is its two seeds (what a key file stores); the expanded keys
/// are derived from them once, at construction. All secret bytes live on the
/// heap and are wiped when the identity is dropped. `Debug` prints only the
/// public ID.
///
/// ```
/// use session_crypto::Identity;
/// let alice = Identity::from_seeds(&[1; 64], &[2; 32]);
/// let sig = alice.sign(b"hello");
/// alice.public().verify(b"hello", &sig).unwrap();
/// assert!(alice.public().verify(b"hullo", &sig).is_err());
/// ```
pub struct Identity {
    secret: Box<SecretParts>,
    public: PublicIdentity,
}

struct SecretParts {
    kem_seed: [u8; KEM_SEED_LEN],
    dsa_seed: [u8; DSA_SEED_LEN],
    kem_sk: MlKem768PrivateKey,
    dsa_sk: MLDSA65SigningKey,
}

impl Drop for SecretParts {
    fn drop(&mut self) {
        self.kem_seed.zeroize();
        self.dsa_seed.zeroize();
        self.kem_sk[0..].zeroize();
        self.dsa_sk.as_mut_slice().zeroize();
    }
}

impl Identity {
    /// Generates a new identity from operating-system randomness.
    pub fn generate() -> Self {
        let mut kem_seed = random::array::<KEM_SEED_LEN>();
        let mut dsa_seed = random::array::<DSA_SEED_LEN>();
        let id = Self::from_seeds(&kem_seed, &dsa_seed);
        kem_seed.zeroize();
        dsa_seed.zeroize();
        id
    }

    /// Derives an identity deterministically from its seeds: the 64-byte
    /// ML-KEM seed `d ‖ z` (FIPS 203 `ML-KEM.KeyGen_internal`) and the 32-byte
    /// ML-DSA seed `ξ` (FIPS 204 `ML-DSA.KeyGen_internal`).
    pub fn from_seeds(kem_seed: &[u8; KEM_SEED_LEN], dsa_seed: &[u8; DSA_SEED_LEN]) -> Self {
        let (kem_sk, kem_pk) = mlkem768::generate_key_pair(*kem_seed).into_parts();
        let dsa = ml_dsa_65::generate_key_pair(*dsa_seed);
        let public = PublicIdentity::from_trusted(kem_pk, dsa.verification_key);
        Identity {
            secret: Box::new(SecretParts {
                kem_seed: *kem_seed,
                dsa_seed: *dsa_seed,
                kem_sk,
                dsa_sk: dsa.signing_key,
            }),
            public,
        }
    }

    /// The public identity.
    pub fn public(&self) -> &PublicIdentity {
        &self.public
    }

    /// The identity's ID.
    pub fn id(&self) -> IdentityId {
        self.public.id()
    }

    /// The 64-byte ML-KEM seed. Secret: handle with care.
    pub fn kem_seed(&self) -> &[u8; KEM_SEED_LEN] {
        &self.secret.kem_seed
    }

    /// The 32-byte ML-DSA seed. Secret: handle with care.
    pub fn dsa_seed(&self) -> &[u8; DSA_SEED_LEN] {
        &self.secret.dsa_seed
    }

    /// Signs `msg` (FIPS 204 pure ML-DSA-65, empty context), hedged: the
    /// signing nonce mixes fresh randomness with the key.
    pub fn sign(&self, msg: &[u8]) -> Signature {
        self.sign_with_context(msg, &[])
            .expect("the empty context is valid and hedged signing retries")
    }

    /// Signs `msg` with context string `ctx` (at most 255 bytes), hedged.
    pub fn sign_with_context(&self, msg: &[u8], ctx: &[u8]) -> Result<Signature> {
        if ctx.len() > MAX_CONTEXT_LEN {
            return Err(Error::ContextTooLong);
        }
        for _ in 0..SIGN_ATTEMPTS {
            let mut rnd = random::array::<32>();
            let r = self.sign_with_randomness(msg, ctx, rnd);
            rnd.zeroize();
            match r {
                Err(Error::SigningFailed) => continue,
                other => return other,
            }
        }
        Err(Error::SigningFailed)
    }

    /// Signs `msg` with context `ctx` deterministically (FIPS 204's
    /// deterministic variant: the signing randomness is all zeros). The same
    /// key, message and context always give the same signature.
    pub fn sign_deterministic(&self, msg: &[u8], ctx: &[u8]) -> Result<Signature> {
        if ctx.len() > MAX_CONTEXT_LEN {
            return Err(Error::ContextTooLong);
        }
        self.sign_with_randomness(msg, ctx, [0u8; 32])
    }

    fn sign_with_randomness(&self, msg: &[u8], ctx: &[u8], rnd: [u8; 32]) -> Result<Signature> {
        ml_dsa_65::sign(&self.secret.dsa_sk, msg, ctx, rnd)
            .map(|s| Signature(Box::new(s)))
            .map_err(|e| match e {
                SigningError::ContextTooLongError => Error::ContextTooLong,
                SigningError::RejectionSamplingError => Error::SigningFailed,
            })
    }

    /// Decapsulates an ML-KEM ciphertext. ML-KEM rejects implicitly: a
    /// ciphertext made for another key yields an unrelated secret, so the
    /// failure shows up later, when that secret fails to authenticate data.
    pub fn decapsulate(&self, ct: &KemCiphertext) -> Result<SharedSecret> {
        Ok(SharedSecret::new(mlkem768::decapsulate(
            &self.secret.kem_sk,
            &ct.0,
        )))
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("id", &format_args!("{}", self.id()))
            .finish_non_exhaustive()
    }
}

/// A 32-byte ML-KEM shared secret. Wiped on drop, compared in constant time,
/// never printed.
pub struct SharedSecret([u8; SHARED_SECRET_LEN]);

impl SharedSecret {
    pub(crate) fn new(bytes: [u8; SHARED_SECRET_LEN]) -> Self {
        SharedSecret(bytes)
    }

    /// The secret bytes.
    pub fn as_bytes(&self) -> &[u8; SHARED_SECRET_LEN] {
        &self.0
    }
}

impl Drop for SharedSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ConstantTimeEq for SharedSecret {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for SharedSecret {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for SharedSecret {}

impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedSecret").finish_non_exhaustive()
    }
}
