//! The hybrid post-quantum TLS key exchange `X25519MLKEM768` (IANA codepoint
//! `0x11EC`, draft-ietf-tls-ecdhe-mlkem) as a rustls [`SupportedKxGroup`].
//!
//! Wire format, identical to every other implementation of the codepoint:
//!
//! | value | layout | bytes |
//! |---|---|---|
//! | client key share | ML-KEM-768 encapsulation key ‖ X25519 public key | 1184 + 32 |
//! | server key share | ML-KEM-768 ciphertext ‖ X25519 public key | 1088 + 32 |
//! | shared secret | ML-KEM shared secret ‖ X25519 shared secret | 32 + 32 |
//!
//! ML-KEM-768 is `libcrux-ml-kem` (the project's formally verified ML-KEM,
//! `specs/crypto-choice.md`); X25519 is the `ring` provider's own group, which
//! rejects an all-zero shared secret (RFC 8446 §7.4.2). The client's
//! encapsulation key must pass the FIPS 203 §7.2 modulus check before the
//! server encapsulates to it.

use rustls::crypto::{ActiveKeyExchange, CompletedKeyExchange, SharedSecret, SupportedKxGroup};
use rustls::ffdhe_groups::FfdheGroup;
use rustls::{NamedGroup, PeerMisbehaved, ProtocolVersion};
use zeroize::{Zeroize, Zeroizing};

use libcrux_ml_kem::mlkem768::{self, MlKem768Ciphertext, MlKem768PrivateKey, MlKem768PublicKey};

/// ML-KEM-768 encapsulation key length.
pub const MLKEM768_EK_LEN: usize = 1184;
/// ML-KEM-768 ciphertext length.
pub const MLKEM768_CT_LEN: usize = 1088;
/// X25519 public key length.
pub const X25519_LEN: usize = 32;
/// Client key share length: `ek ‖ x25519`.
pub const CLIENT_SHARE_LEN: usize = MLKEM768_EK_LEN + X25519_LEN;
/// Server key share length: `ct ‖ x25519`.
pub const SERVER_SHARE_LEN: usize = MLKEM768_CT_LEN + X25519_LEN;
/// The IANA codepoint of `X25519MLKEM768`.
pub const X25519MLKEM768_CODEPOINT: u16 = 0x11ec;

/// The hybrid group, for a rustls [`CryptoProvider`](rustls::crypto::CryptoProvider).
pub static X25519MLKEM768: &dyn SupportedKxGroup = &X25519MlKem768;

const INVALID_SHARE: rustls::Error = rustls::Error::PeerMisbehaved(PeerMisbehaved::InvalidKeyShare);

fn classical() -> &'static dyn SupportedKxGroup {
    rustls::crypto::ring::kx_group::X25519
}

fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>, rustls::Error> {
    let mut out = Zeroizing::new([0u8; N]);
    getrandom::getrandom(out.as_mut_slice()).map_err(|_| rustls::Error::FailedToGetRandomBytes)?;
    Ok(out)
}

/// `X25519MLKEM768` built from `libcrux-ml-kem` and ring's X25519.
#[derive(Debug, Clone, Copy, Default)]
pub struct X25519MlKem768;

impl SupportedKxGroup for X25519MlKem768 {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, rustls::Error> {
        let x25519 = classical().start()?;
        let seed = random::<{ libcrux_ml_kem::KEY_GENERATION_SEED_SIZE }>()?;
        let (sk, pk) = mlkem768::generate_key_pair(*seed).into_parts();
        let mut pub_key = Vec::with_capacity(CLIENT_SHARE_LEN);
        pub_key.extend_from_slice(pk.as_slice());
        pub_key.extend_from_slice(x25519.pub_key());
        Ok(Box::new(Active {
            mlkem_sk: sk,
            x25519,
            pub_key,
        }))
    }

    fn start_and_complete(
        &self,
        client_share: &[u8],
    ) -> Result<CompletedKeyExchange, rustls::Error> {
        if client_share.len() != CLIENT_SHARE_LEN {
            return Err(INVALID_SHARE);
        }
        let (ek, x_peer) = client_share.split_at(MLKEM768_EK_LEN);
        let ek: [u8; MLKEM768_EK_LEN] = ek.try_into().map_err(|_| INVALID_SHARE)?;
        let ek = MlKem768PublicKey::from(ek);
        if !mlkem768::validate_public_key(&ek) {
            return Err(INVALID_SHARE);
        }
        let x = classical().start_and_complete(x_peer)?;
        let m = random::<{ libcrux_ml_kem::SHARED_SECRET_SIZE }>()?;
        let (ct, mut ss) = mlkem768::encapsulate(&ek, *m);

        let mut pub_key = Vec::with_capacity(SERVER_SHARE_LEN);
        pub_key.extend_from_slice(ct.as_slice());
        pub_key.extend_from_slice(&x.pub_key);
        let secret = combine(&ss, x.secret.secret_bytes());
        ss.zeroize();
        Ok(CompletedKeyExchange {
            group: NamedGroup::X25519MLKEM768,
            pub_key,
            secret,
        })
    }

    fn ffdhe_group(&self) -> Option<FfdheGroup<'static>> {
        None
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::X25519MLKEM768
    }

    fn usable_for_version(&self, version: ProtocolVersion) -> bool {
        version == ProtocolVersion::TLSv1_3
    }
}

/// `mlkem_ss ‖ x25519_ss`, in a buffer rustls wipes on drop.
fn combine(mlkem_ss: &[u8], x25519_ss: &[u8]) -> SharedSecret {
    let mut buf = Zeroizing::new(Vec::with_capacity(mlkem_ss.len() + x25519_ss.len()));
    buf.extend_from_slice(mlkem_ss);
    buf.extend_from_slice(x25519_ss);
    SharedSecret::from(&buf[..])
}

/// The client's half-done exchange: its ML-KEM decapsulation key and X25519
/// secret (inside ring's exchange). The ML-KEM key is wiped on drop.
struct Active {
    mlkem_sk: MlKem768PrivateKey,
    x25519: Box<dyn ActiveKeyExchange>,
    pub_key: Vec<u8>,
}

impl Drop for Active {
    fn drop(&mut self) {
        self.mlkem_sk[0..].zeroize();
    }
}

impl ActiveKeyExchange for Active {
    fn complete(mut self: Box<Self>, server_share: &[u8]) -> Result<SharedSecret, rustls::Error> {
        if server_share.len() != SERVER_SHARE_LEN {
            return Err(INVALID_SHARE);
        }
        let (ct, x_peer) = server_share.split_at(MLKEM768_CT_LEN);
        let ct: [u8; MLKEM768_CT_LEN] = ct.try_into().map_err(|_| INVALID_SHARE)?;
        let mut ss = mlkem768::decapsulate(&self.mlkem_sk, &MlKem768Ciphertext::from(ct));
        // Take the X25519 exchange out; `self` (and its ML-KEM key) is wiped on drop.
        let x25519 = std::mem::replace(&mut self.x25519, Box::new(Spent));
        let result = x25519
            .complete(x_peer)
            .map(|x| combine(&ss, x.secret_bytes()));
        ss.zeroize();
        result
    }

    fn pub_key(&self) -> &[u8] {
        &self.pub_key
    }

    fn ffdhe_group(&self) -> Option<FfdheGroup<'static>> {
        None
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::X25519MLKEM768
    }
}

/// Placeholder left behind once the X25519 exchange has been consumed.
struct Spent;

impl ActiveKeyExchange for Spent {
    fn complete(self: Box<Self>, _: &[u8]) -> Result<SharedSecret, rustls::Error> {
        Err(rustls::Error::General(
            "key exchange already completed".into(),
        ))
    }

    fn pub_key(&self) -> &[u8] {
        &[]
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::X25519
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_and_server_agree() {
        let client = X25519MLKEM768.start().unwrap();
        assert_eq!(client.pub_key().len(), CLIENT_SHARE_LEN);
        assert_eq!(client.group(), NamedGroup::X25519MLKEM768);
        let server = X25519MLKEM768.start_and_complete(client.pub_key()).unwrap();
        assert_eq!(server.pub_key.len(), SERVER_SHARE_LEN);
        assert_eq!(server.group, NamedGroup::X25519MLKEM768);
        let client_secret = client.complete(&server.pub_key).unwrap();
        assert_eq!(client_secret.secret_bytes().len(), 64);
        assert_eq!(client_secret.secret_bytes(), server.secret.secret_bytes());
    }

    #[test]
    fn codepoint_is_iana() {
        assert_eq!(
            u16::from(NamedGroup::X25519MLKEM768),
            X25519MLKEM768_CODEPOINT
        );
        assert_eq!(X25519MLKEM768.name(), NamedGroup::X25519MLKEM768);
        assert!(X25519MLKEM768.usable_for_version(ProtocolVersion::TLSv1_3));
        assert!(!X25519MLKEM768.usable_for_version(ProtocolVersion::TLSv1_2));
    }

    #[test]
    fn secret_is_mlkem_then_x25519() {
        // Recompute both halves independently: the server's secret must be
        // decaps(ct) ‖ X25519(client, server).
        let seed = [7u8; 64];
        let (sk, pk) = mlkem768::generate_key_pair(seed).into_parts();
        let x_client = classical().start().unwrap();
        let mut share = pk.as_slice().to_vec();
        share.extend_from_slice(x_client.pub_key());
        let server = X25519MLKEM768.start_and_complete(&share).unwrap();
        let (ct, x_server) = server.pub_key.split_at(MLKEM768_CT_LEN);
        let ct: [u8; MLKEM768_CT_LEN] = ct.try_into().unwrap();
        let ss = mlkem768::decapsulate(&sk, &MlKem768Ciphertext::from(ct));
        let x_ss = x_client.complete(x_server).unwrap();
        let mut expected = ss.to_vec();
        expected.extend_from_slice(x_ss.secret_bytes());
        assert_eq!(server.secret.secret_bytes(), &expected[..]);
    }

    #[test]
    fn rejects_malformed_shares() {
        // Wrong lengths.
        for len in [0, 32, CLIENT_SHARE_LEN - 1, CLIENT_SHARE_LEN + 1] {
            assert!(X25519MLKEM768.start_and_complete(&vec![1u8; len]).is_err());
        }
        // An encapsulation key failing the modulus check (all 0xff coefficients).
        let mut bad = vec![0xffu8; CLIENT_SHARE_LEN];
        bad[MLKEM768_EK_LEN..].copy_from_slice(&[9u8; 32]);
        assert!(X25519MLKEM768.start_and_complete(&bad).is_err());
        // An all-zero X25519 point gives an all-zero secret: rejected.
        let client = X25519MLKEM768.start().unwrap();
        let mut zero_x = client.pub_key().to_vec();
        zero_x[MLKEM768_EK_LEN..].fill(0);
        assert!(X25519MLKEM768.start_and_complete(&zero_x).is_err());
        // Server share of the wrong length.
        assert!(client.complete(&[0u8; SERVER_SHARE_LEN - 1]).is_err());
    }
}
