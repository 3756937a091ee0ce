//! Sizes of every key, ciphertext and signature, in bytes (FIPS 203 / 204).

/// ML-KEM-768 encapsulation (public) key.
pub const KEM_PUBLIC_KEY_LEN: usize = 1184;
/// ML-KEM-768 decapsulation (secret) key, expanded form.
pub const KEM_SECRET_KEY_LEN: usize = 2400;
/// ML-KEM-768 ciphertext.
pub const KEM_CIPHERTEXT_LEN: usize = 1088;
/// ML-KEM shared secret.
pub const SHARED_SECRET_LEN: usize = 32;
/// ML-KEM key-generation seed (`d ‖ z`).
pub const KEM_SEED_LEN: usize = 64;

/// ML-DSA-65 verification (public) key.
pub const DSA_PUBLIC_KEY_LEN: usize = 1952;
/// ML-DSA-65 signing (secret) key, expanded form.
pub const DSA_SECRET_KEY_LEN: usize = 4032;
/// ML-DSA-65 signature.
pub const SIGNATURE_LEN: usize = 3309;
/// ML-DSA key-generation seed (`ξ`).
pub const DSA_SEED_LEN: usize = 32;
/// Longest ML-DSA context string.
pub const MAX_CONTEXT_LEN: usize = 255;

/// A public identity: `kem_pk ‖ dsa_pk`.
pub const PUBLIC_IDENTITY_LEN: usize = KEM_PUBLIC_KEY_LEN + DSA_PUBLIC_KEY_LEN;
/// An identity ID: Blake2b-256 of the public identity.
pub const IDENTITY_ID_LEN: usize = 32;
/// Characters in an identity ID's text form (`"07"` + 64 hex digits).
pub const IDENTITY_ID_STR_LEN: usize = 66;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_libcrux() {
        use libcrux_ml_dsa::ml_dsa_65::{
            MLDSA65Signature, MLDSA65SigningKey, MLDSA65VerificationKey,
        };
        assert_eq!(MLDSA65Signature::len(), SIGNATURE_LEN);
        assert_eq!(MLDSA65SigningKey::len(), DSA_SECRET_KEY_LEN);
        assert_eq!(MLDSA65VerificationKey::len(), DSA_PUBLIC_KEY_LEN);
        assert_eq!(libcrux_ml_kem::KEY_GENERATION_SEED_SIZE, KEM_SEED_LEN);
        assert_eq!(libcrux_ml_kem::SHARED_SECRET_SIZE, SHARED_SECRET_LEN);
        assert_eq!(libcrux_ml_dsa::KEY_GENERATION_RANDOMNESS_SIZE, DSA_SEED_LEN);
        assert_eq!(PUBLIC_IDENTITY_LEN, 3136);
    }
}
