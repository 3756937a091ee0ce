//! Wire-compatibility check of our `X25519MLKEM768` (ring X25519 +
//! libcrux ML-KEM-768) against rustls's own implementation on aws-lc-rs, in
//! both directions, over in-memory TLS 1.3 connections.
//!
//! ```sh
//! cargo run -p session-net --example interop_aws_lc --features interop-aws-lc
//! ```
//!
//! Each handshake must negotiate `X25519MLKEM768` on both sides, derive the
//! same exporter value and carry application data; any mismatch in share
//! layout or secret order fails the TLS key schedule.

use std::io::{Read, Write};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{
    ClientConnection, DigitallySignedStruct, NamedGroup, ServerConnection, SignatureScheme,
};
use session_net::tls::{ALPN, TlsContext};

const ROUNDS: usize = 20;

fn aws_provider() -> rustls::crypto::CryptoProvider {
    let mut p = rustls::crypto::aws_lc_rs::default_provider();
    p.kx_groups = vec![rustls::crypto::aws_lc_rs::kx_group::X25519MLKEM768];
    p
}

fn certificate() -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519).expect("key");
    let cert = rcgen::CertificateParams::new(vec!["interop.invalid".into()])
        .expect("params")
        .self_signed(&key)
        .expect("certificate");
    (
        vec![cert.der().clone()],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
}

/// The aws-lc-rs client's verifier: any certificate, real TLS 1.3 signatures.
#[derive(Debug)]
struct AnyCert;

impl ServerCertVerifier for AnyCert {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("TLS 1.2 is not offered".into()))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algs = aws_provider().signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, &algs)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        aws_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Moves TLS records between the two ends until both are quiet.
fn pump(c: &mut ClientConnection, s: &mut ServerConnection) {
    for _ in 0..16 {
        let mut buf = Vec::new();
        while c.wants_write() {
            c.write_tls(&mut buf).expect("client write");
        }
        if !buf.is_empty() {
            s.read_tls(&mut &buf[..]).expect("server read");
            s.process_new_packets().expect("server process");
        }
        let mut buf = Vec::new();
        while s.wants_write() {
            s.write_tls(&mut buf).expect("server write");
        }
        if !buf.is_empty() {
            c.read_tls(&mut &buf[..]).expect("client read");
            c.process_new_packets().expect("client process");
        }
    }
}

fn check(mut c: ClientConnection, mut s: ServerConnection, label: &str) {
    pump(&mut c, &mut s);
    assert!(
        !c.is_handshaking() && !s.is_handshaking(),
        "{label}: handshake incomplete"
    );
    for group in [
        c.negotiated_key_exchange_group(),
        s.negotiated_key_exchange_group(),
    ] {
        assert_eq!(
            group.map(|g| g.name()),
            Some(NamedGroup::X25519MLKEM768),
            "{label}"
        );
    }
    let ours = c
        .export_keying_material([0u8; 32], b"EXPORTER-interop", Some(b"ctx"))
        .expect("exporter");
    let theirs = s
        .export_keying_material([0u8; 32], b"EXPORTER-interop", Some(b"ctx"))
        .expect("exporter");
    assert_eq!(ours, theirs, "{label}: exporters differ");
    let msg = b"hello over hybrid post-quantum TLS";
    c.writer().write_all(msg).expect("write");
    pump(&mut c, &mut s);
    let mut got = vec![0u8; msg.len()];
    s.reader().read_exact(&mut got).expect("read");
    assert_eq!(&got[..], msg, "{label}");
}

fn main() {
    let ours = TlsContext::generate().expect("our TLS context");
    for _ in 0..ROUNDS {
        let (chain, key) = certificate();
        let mut server = rustls::ServerConfig::builder_with_provider(Arc::new(aws_provider()))
            .with_protocol_versions(&[&rustls::version::TLS13])
            .expect("TLS 1.3")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("server config");
        server.alpn_protocols = vec![ALPN.to_vec()];
        let c =
            ClientConnection::new(ours.client_config(), TlsContext::server_name()).expect("client");
        let s = ServerConnection::new(Arc::new(server)).expect("server");
        check(c, s, "session-net client -> aws-lc-rs server");
    }
    println!("session-net client -> aws-lc-rs server: {ROUNDS} handshakes OK");
    for _ in 0..ROUNDS {
        let (chain, key) = certificate();
        let mut client = rustls::ClientConfig::builder_with_provider(Arc::new(aws_provider()))
            .with_protocol_versions(&[&rustls::version::TLS13])
            .expect("TLS 1.3")
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCert))
            .with_client_auth_cert(chain, key)
            .expect("client config");
        client.alpn_protocols = vec![ALPN.to_vec()];
        let name = ServerName::try_from("interop.invalid").expect("name");
        let c = ClientConnection::new(Arc::new(client), name).expect("client");
        let s = ServerConnection::new(ours.server_config()).expect("server");
        check(c, s, "aws-lc-rs client -> session-net server");
    }
    println!("aws-lc-rs client -> session-net server: {ROUNDS} handshakes OK");
}
