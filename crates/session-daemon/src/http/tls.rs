//! TLS for `https://` oracle URLs: rustls with its default (ring) provider,
//! TLS 1.2 and 1.3, trust roots = the Mozilla set of `webpki-roots` plus any
//! extra CA certificates (`-oracle-ca`, PEM files).
//!
//! The server name sent (SNI) and checked against the certificate is the
//! URL's host; IP literals are checked against the certificate's IP SANs
//! (no SNI is sent for them).

use std::path::Path;
use std::sync::{Arc, OnceLock};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{CertificateError, ClientConfig, RootCertStore};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::{HttpError, err};

/// Builds a client configuration trusting the `webpki-roots` set plus every
/// certificate in the PEM files `extra_ca_files`.
pub(super) fn client_config(extra_ca_files: &[&Path]) -> Result<Arc<ClientConfig>, HttpError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for path in extra_ca_files {
        let shown = path.display();
        let certs = CertificateDer::pem_file_iter(path)
            .map_err(|e| err(format!("CA file {shown}: {e}")))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| err(format!("CA file {shown}: {e}")))?;
        if certs.is_empty() {
            return Err(err(format!(
                "CA file {shown}: no PEM certificate (BEGIN CERTIFICATE) found"
            )));
        }
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| err(format!("CA file {shown}: bad certificate: {e}")))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| err(format!("TLS setup: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The configuration with the `webpki-roots` set only, built once.
pub(super) fn default_config() -> Result<Arc<ClientConfig>, HttpError> {
    static DEFAULT: OnceLock<Result<Arc<ClientConfig>, HttpError>> = OnceLock::new();
    DEFAULT.get_or_init(|| client_config(&[])).clone()
}

/// Runs the TLS handshake over `tcp` for `host`.
pub(super) async fn connect(
    config: Arc<ClientConfig>,
    host: &str,
    tcp: TcpStream,
) -> Result<TlsStream<TcpStream>, HttpError> {
    let name = ServerName::try_from(host.to_owned())
        .map_err(|_| err(format!("TLS: {host:?} is not a valid server name")))?;
    TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| handshake_error(host, &e))
}

/// A clear message for a failed handshake.
fn handshake_error(host: &str, e: &std::io::Error) -> HttpError {
    let Some(tls) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) else {
        return err(format!("TLS handshake failed: {e}"));
    };
    match tls {
        rustls::Error::InvalidCertificate(c) => err(match c {
            CertificateError::UnknownIssuer => format!(
                "TLS: certificate of {host} not trusted (unknown issuer; add its CA with -oracle-ca)"
            ),
            CertificateError::BadSignature => format!(
                "TLS: certificate of {host} not trusted (its signature does not verify under a trusted CA)"
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                format!("TLS: certificate not valid for host {host}")
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                format!("TLS: certificate of {host} expired")
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                format!("TLS: certificate of {host} not valid yet")
            }
            other => format!("TLS: bad certificate from {host}: {other:?}"),
        }),
        other => err(format!("TLS handshake with {host} failed: {other}")),
    }
}
