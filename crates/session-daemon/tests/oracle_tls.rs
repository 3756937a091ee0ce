//! The oracle client over TLS: a local HTTPS server whose certificate chains
//! to a self-signed test CA (rcgen), served with tokio-rustls on loopback.
#![allow(clippy::unwrap_used)]

mod common;

use common::read_request;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::ServerConfig;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use session_daemon::http::HttpClient;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

const T: Duration = Duration::from_secs(5);

struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
    pem_file: tempfile::NamedTempFile,
}

fn new_ca(name: &str) -> Ca {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
    let pem_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(pem_file.path(), issuer.pem()).unwrap();
    Ca { issuer, pem_file }
}

/// An HTTPS server for `names`: `GET` answers `42`; `POST` answers
/// `got <content-type> <body>`. Returns its port.
async fn serve(ca: &Ca, names: &[&str]) -> u16 {
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
    let cert = params.signed_by(&key, &ca.issuer).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut s) = acceptor.accept(tcp).await else {
                    return;
                };
                let Some(request) = read_request(&mut s).await else {
                    return;
                };
                let head = &request.head;
                let reply = if head.starts_with("POST ") {
                    format!(
                        "got {} {}",
                        request.header("content-type"),
                        String::from_utf8_lossy(&request.body)
                    )
                } else {
                    "42".to_owned()
                };
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{reply}",
                    reply.len()
                );
                let _ = s.write_all(response.as_bytes()).await;
                let _ = s.shutdown().await;
            });
        }
    });
    port
}

#[tokio::test]
async fn https_get_and_post_with_a_trusted_ca() {
    let ca = new_ca("sessiond test CA");
    let port = serve(&ca, &["localhost", "127.0.0.1"]).await;
    let client = HttpClient::with_ca_files(&[ca.pem_file.path()]).unwrap();
    for host in ["127.0.0.1", "localhost"] {
        let url = format!("https://{host}:{port}/price");
        assert_eq!(client.get(&url, 16, T).await.unwrap(), b"42", "{url}");
    }
    let url = format!("https://127.0.0.1:{port}/out");
    let reply = client
        .post(&url, "application/json", &[], b"{\"v\":1}", 64, T)
        .await
        .unwrap();
    assert_eq!(reply, b"got application/json {\"v\":1}");
    // Limits hold over TLS too.
    let err = client.get(&url, 1, T).await.unwrap_err();
    assert!(err.0.contains("too large"), "{err}");
}

#[tokio::test]
async fn an_untrusted_ca_or_a_wrong_host_is_refused() {
    let ca = new_ca("sessiond test CA");
    let port = serve(&ca, &["localhost", "127.0.0.1"]).await;
    let url = format!("https://127.0.0.1:{port}/price");
    let err = HttpClient::default().get(&url, 16, T).await.unwrap_err();
    assert!(err.0.contains("not trusted"), "{err}");
    // Another CA, under another name or (an impostor) the same name.
    for name in ["another CA", "sessiond test CA"] {
        let other = new_ca(name);
        let err = HttpClient::with_ca_files(&[other.pem_file.path()])
            .unwrap()
            .post(&url, "text/plain", &[], b"x", 16, T)
            .await
            .unwrap_err();
        assert!(err.0.contains("not trusted"), "{name}: {err}");
    }
    // A certificate for another name, though its CA is trusted.
    let elsewhere = serve(&ca, &["elsewhere.example"]).await;
    let client = HttpClient::with_ca_files(&[ca.pem_file.path()]).unwrap();
    for host in ["127.0.0.1", "localhost"] {
        let url = format!("https://{host}:{elsewhere}/price");
        let err = client.get(&url, 16, T).await.unwrap_err();
        assert!(err.0.contains("not valid for host"), "{err}");
    }
    // Plain HTTP to a TLS port, and TLS to a server that never answers.
    let err = client
        .get(&format!("http://127.0.0.1:{port}/price"), 16, T)
        .await
        .unwrap_err();
    assert!(!err.0.is_empty());
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
        }
    });
    let err = client
        .get(
            &format!("https://127.0.0.1:{silent_port}/"),
            16,
            Duration::from_millis(200),
        )
        .await
        .unwrap_err();
    assert!(err.0.contains("timed out"), "{err}");
}

#[test]
fn bad_ca_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pem");
    let err = HttpClient::with_ca_files(&[&missing]).unwrap_err();
    assert!(err.0.contains("missing.pem"), "{err}");
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let err = HttpClient::with_ca_files(&[&empty]).unwrap_err();
    assert!(err.0.contains("no PEM certificate"), "{err}");
    let junk = dir.path().join("junk.pem");
    std::fs::write(
        &junk,
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    assert!(HttpClient::with_ca_files(&[&junk]).is_err());
}
