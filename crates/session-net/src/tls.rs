//! TLS 1.3 configuration: the ring provider with [`X25519MLKEM768`] as the
//! only key-exchange group, ephemeral self-signed Ed25519 certificates, and
//! certificate verifiers that accept any well-formed certificate but still
//! check the TLS 1.3 `CertificateVerify` signature with its key.
//!
//! Peers are authenticated by their Lux identities afterwards
//! ([`binding`](crate::binding)), not by certificates: a certificate only
//! proves that the TLS peer holds the key it used in this handshake, which the
//! exporter (and so the identity signature) is bound to.

use std::fmt;
use std::sync::Arc;

use rustls::client::Resumption;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::{NoServerSessionStorage, ParsedCertificate};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, DistinguishedName, ServerConfig,
    SignatureScheme,
};
use tokio_rustls::{TlsAcceptor, TlsConnector};

use crate::error::{Error, Result};
use crate::kx::X25519MLKEM768;

/// The ALPN protocol both sides require.
pub const ALPN: &[u8] = b"lux-session-net/1";
/// The server name a dialer sends (certificates are not checked against it).
pub const SERVER_NAME: &str = "lux-session-net.invalid";

/// The crypto provider: ring's TLS 1.3 cipher suites and signature
/// algorithms, and [`X25519MLKEM768`] as the only key exchange.
pub fn crypto_provider() -> CryptoProvider {
    let base = rustls::crypto::ring::default_provider();
    CryptoProvider {
        cipher_suites: base
            .cipher_suites
            .iter()
            .copied()
            .filter(|s| s.tls13().is_some())
            .collect(),
        kx_groups: vec![X25519MLKEM768],
        ..base
    }
}

/// Client and server TLS configurations sharing one ephemeral certificate.
/// Cheap to clone.
#[derive(Clone)]
pub struct TlsContext {
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
}

impl fmt::Debug for TlsContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsContext").finish_non_exhaustive()
    }
}

impl TlsContext {
    /// Generates a fresh Ed25519 key and self-signed certificate (never
    /// stored) and builds both configurations.
    pub fn generate() -> Result<Self> {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519)
            .map_err(|e| Error::Certificate(e.to_string()))?;
        let params = rcgen::CertificateParams::new(vec![SERVER_NAME.to_owned()])
            .map_err(|e| Error::Certificate(e.to_string()))?;
        let cert = params
            .self_signed(&key)
            .map_err(|e| Error::Certificate(e.to_string()))?;
        let chain = vec![cert.der().clone()];
        let key_der = || PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));

        let provider = Arc::new(crypto_provider());
        let verifier = Arc::new(AnyWellFormedCert {
            algorithms: provider.signature_verification_algorithms,
        });

        let mut client = ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[&rustls::version::TLS13])?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_client_auth_cert(chain.clone(), key_der())?;
        client.alpn_protocols = vec![ALPN.to_vec()];
        client.resumption = Resumption::disabled();
        client.enable_early_data = false;

        let mut server = ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])?
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain, key_der())?;
        server.alpn_protocols = vec![ALPN.to_vec()];
        server.session_storage = Arc::new(NoServerSessionStorage {});
        server.send_tls13_tickets = 0;
        server.max_early_data_size = 0;

        Ok(TlsContext {
            client: Arc::new(client),
            server: Arc::new(server),
        })
    }

    /// The client (dialer) configuration.
    pub fn client_config(&self) -> Arc<ClientConfig> {
        self.client.clone()
    }

    /// The server (listener) configuration.
    pub fn server_config(&self) -> Arc<ServerConfig> {
        self.server.clone()
    }

    /// A tokio-rustls connector.
    pub fn connector(&self) -> TlsConnector {
        TlsConnector::from(self.client.clone())
    }

    /// A tokio-rustls acceptor.
    pub fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(self.server.clone())
    }

    /// The server name dialers send.
    pub fn server_name() -> ServerName<'static> {
        ServerName::try_from(SERVER_NAME).expect("a valid DNS name")
    }
}

/// Accepts any single well-formed X.509 certificate and checks TLS 1.3
/// handshake signatures with its key. Identity is established afterwards by
/// the binding, so no chain, name or validity period is checked.
#[derive(Debug)]
struct AnyWellFormedCert {
    algorithms: WebPkiSupportedAlgorithms,
}

impl AnyWellFormedCert {
    fn check(
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
    ) -> core::result::Result<(), rustls::Error> {
        if !intermediates.is_empty() {
            return Err(rustls::Error::InvalidCertificate(
                CertificateError::BadEncoding,
            ));
        }
        ParsedCertificate::try_from(end_entity).map(|_| ())
    }

    fn tls13(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> core::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }
}

fn no_tls12() -> rustls::Error {
    rustls::Error::General("TLS 1.2 is not offered".into())
}

impl ServerCertVerifier for AnyWellFormedCert {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> core::result::Result<ServerCertVerified, rustls::Error> {
        Self::check(end_entity, intermediates).map(|()| ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> core::result::Result<HandshakeSignatureValid, rustls::Error> {
        Err(no_tls12())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> core::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

impl ClientCertVerifier for AnyWellFormedCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> core::result::Result<ClientCertVerified, rustls::Error> {
        Self::check(end_entity, intermediates).map(|()| ClientCertVerified::assertion())
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> core::result::Result<HandshakeSignatureValid, rustls::Error> {
        Err(no_tls12())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> core::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::NamedGroup;

    #[test]
    fn provider_offers_only_the_hybrid_group_and_tls13() {
        let p = crypto_provider();
        assert_eq!(p.kx_groups.len(), 1);
        assert_eq!(p.kx_groups[0].name(), NamedGroup::X25519MLKEM768);
        assert!(!p.cipher_suites.is_empty());
        assert!(p.cipher_suites.iter().all(|s| s.tls13().is_some()));
    }

    #[test]
    fn verifier_rejects_garbage_and_chains() {
        let v = AnyWellFormedCert {
            algorithms: crypto_provider().signature_verification_algorithms,
        };
        let garbage = CertificateDer::from(vec![0x30, 0x03, 0x01, 0x01, 0xff]);
        assert!(
            v.verify_client_cert(&garbage, &[], UnixTime::now())
                .is_err()
        );
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap();
        let cert = rcgen::CertificateParams::new(vec!["x.invalid".to_owned()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let der = cert.der().clone();
        assert!(v.verify_client_cert(&der, &[], UnixTime::now()).is_ok());
        assert!(
            v.verify_client_cert(&der, std::slice::from_ref(&der), UnixTime::now())
                .is_err()
        );
        assert!(
            ServerCertVerifier::supported_verify_schemes(&v).contains(&SignatureScheme::ED25519)
        );
    }

    #[test]
    fn context_builds() {
        let ctx = TlsContext::generate().unwrap();
        assert_eq!(ctx.client_config().alpn_protocols, vec![ALPN.to_vec()]);
        assert_eq!(ctx.server_config().send_tls13_tickets, 0);
        assert_eq!(TlsContext::server_name().to_str(), SERVER_NAME);
    }
}
