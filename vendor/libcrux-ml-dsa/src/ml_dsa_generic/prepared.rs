//! Lux Session patch: prepared verification keys, instantiated per platform.
//!
//! A prepared key holds what verification derives from a verification key
//! alone (see `PreparedVerificationKey` in `ml_dsa_generic`), in the SIMD
//! representation of the platform chosen at preparation time: AVX2 when the
//! CPU has it (and `simd256` is built), the portable representation otherwise
//! (which the NEON build also uses for its polynomials).

macro_rules! parameter_set {
    ($parameter_module:ident, $feature:literal) => {
        #[cfg(feature = $feature)]
        pub(crate) mod $parameter_module {
            use crate::ml_dsa_generic::$parameter_module::{
                prepare_verification_key, verify_prepared, PreparedVerificationKey as Generic,
                SIGNATURE_SIZE, VERIFICATION_KEY_SIZE,
            };
            use crate::{hash_functions::portable, simd::portable::PortableSIMDUnit};
            use crate::types::VerificationError;
            use std::boxed::Box;

            /// A prepared key in the representation of the platform it was made on.
            #[derive(Clone)]
            pub(crate) enum PreparedVerificationKey {
                #[cfg(feature = "simd256")]
                Avx2(Box<Generic<crate::simd::avx2::AVX2SIMDUnit>>),
                Portable(Box<Generic<PortableSIMDUnit>>),
            }

            pub(crate) fn prepare(
                verification_key: &[u8; VERIFICATION_KEY_SIZE],
            ) -> PreparedVerificationKey {
                #[cfg(feature = "simd256")]
                if libcrux_platform::simd256_support() {
                    return PreparedVerificationKey::Avx2(avx2::prepare(verification_key));
                }
                prepare_portable(verification_key)
            }

            /// A prepared key in the portable representation, whatever the CPU.
            pub(crate) fn prepare_portable(
                verification_key: &[u8; VERIFICATION_KEY_SIZE],
            ) -> PreparedVerificationKey {
                let mut prepared = Box::new(Generic::zero());
                prepare_verification_key::<
                    PortableSIMDUnit,
                    crate::samplex4::portable::PortableSampler,
                    portable::Shake256,
                >(verification_key, &mut prepared);
                PreparedVerificationKey::Portable(prepared)
            }

            pub(crate) fn verify(
                prepared: &PreparedVerificationKey,
                message: &[u8],
                context: &[u8],
                signature: &[u8; SIGNATURE_SIZE],
            ) -> Result<(), VerificationError> {
                match prepared {
                    #[cfg(feature = "simd256")]
                    PreparedVerificationKey::Avx2(prepared) => {
                        avx2::verify(prepared, message, context, signature)
                    }
                    PreparedVerificationKey::Portable(prepared) => verify_prepared::<
                        PortableSIMDUnit,
                        portable::Shake256,
                        portable::Shake256Xof,
                    >(
                        prepared, message, context, signature
                    ),
                }
            }

            #[cfg(feature = "simd256")]
            mod avx2 {
                use super::*;
                use crate::simd::avx2::AVX2SIMDUnit;

                #[allow(unsafe_code)]
                pub(super) fn prepare(
                    verification_key: &[u8; VERIFICATION_KEY_SIZE],
                ) -> Box<Generic<AVX2SIMDUnit>> {
                    #[cfg_attr(not(hax), target_feature(enable = "avx2"))]
                    #[allow(unsafe_code)]
                    unsafe fn _inner(
                        verification_key: &[u8; VERIFICATION_KEY_SIZE],
                        prepared: &mut Generic<AVX2SIMDUnit>,
                    ) {
                        prepare_verification_key::<
                            AVX2SIMDUnit,
                            crate::samplex4::avx2::AVX2Sampler,
                            crate::hash_functions::simd256::Shake256,
                        >(verification_key, prepared)
                    }
                    let mut prepared = Box::new(Generic::zero());
                    // SAFETY: only called after `simd256_support()` said the CPU has AVX2.
                    unsafe { _inner(verification_key, &mut prepared) };
                    prepared
                }

                #[allow(unsafe_code)]
                pub(super) fn verify(
                    prepared: &Generic<AVX2SIMDUnit>,
                    message: &[u8],
                    context: &[u8],
                    signature: &[u8; SIGNATURE_SIZE],
                ) -> Result<(), VerificationError> {
                    #[cfg_attr(not(hax), target_feature(enable = "avx2"))]
                    #[allow(unsafe_code)]
                    unsafe fn _inner(
                        prepared: &Generic<AVX2SIMDUnit>,
                        message: &[u8],
                        context: &[u8],
                        signature: &[u8; SIGNATURE_SIZE],
                    ) -> Result<(), VerificationError> {
                        verify_prepared::<
                            AVX2SIMDUnit,
                            crate::hash_functions::simd256::Shake256,
                            portable::Shake256Xof,
                        >(prepared, message, context, signature)
                    }
                    // SAFETY: an AVX2 key is only made after `simd256_support()`.
                    unsafe { _inner(prepared, message, context, signature) }
                }
            }
        }
    };
}

parameter_set!(ml_dsa_44, "mldsa44");
parameter_set!(ml_dsa_65, "mldsa65");
parameter_set!(ml_dsa_87, "mldsa87");

#[cfg(all(test, feature = "mldsa65"))]
mod tests {
    extern crate std;
    use super::ml_dsa_65::{prepare, prepare_portable, verify};
    use crate::ml_dsa_65::portable;
    use std::format;

    /// Both representations give the verdicts of the unprepared verifier,
    /// on a valid signature and on every byte of it changed.
    #[test]
    fn prepared_verdicts_match_plain_ones() {
        let keys = portable::generate_key_pair([7; 32]);
        let sig = portable::sign(&keys.signing_key, b"m", b"ctx", [9; 32]).unwrap();
        let vk = keys.verification_key.as_ref();
        let prepared = [prepare_portable(vk), prepare(vk)];
        let mut bytes = *sig.as_ref();
        let check = |bytes: &[u8; 3309], msg: &[u8], ctx: &[u8]| {
            let plain = portable::verify(
                &keys.verification_key,
                msg,
                ctx,
                &crate::ml_dsa_65::MLDSA65Signature::new(*bytes),
            );
            for key in &prepared {
                assert_eq!(
                    format!("{:?}", verify(key, msg, ctx, bytes)),
                    format!("{plain:?}")
                );
            }
            plain.is_ok()
        };
        assert!(check(&bytes, b"m", b"ctx"));
        assert!(!check(&bytes, b"n", b"ctx"));
        assert!(!check(&bytes, b"m", b""));
        assert!(!check(&bytes, b"m", &[0; 256]));
        for i in 0..bytes.len() {
            let bit = 1 << (i % 8);
            bytes[i] ^= bit;
            assert!(!check(&bytes, b"m", b"ctx"), "byte {i}");
            bytes[i] ^= bit;
        }
    }
}
