//! Hostile peers on loopback: wrong or forged identities, malformed frames,
//! slow-loris handshakes and connection floods. Each is refused or cut off
//! without a panic and without disturbing an established good link.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use session_net::binding::{self, Role, StaticKeyingMaterial};
use session_net::frame::{FrameDecoder, MAX_FRAME_LEN, encode_raw};
use session_net::tls::TlsContext;
use session_net::{
    Config, Envelope, Error, Kind, Message, MessageType, Node, RejectCode, Rejection, transport,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A good pair: `a` dialed `b`, both echo.
async fn good_pair(a_seed: u8, b_config: Config) -> (Node, Node) {
    let a = node(a_seed).await;
    let b = node_with(a_seed + 1, b_config).await;
    echo(&a);
    echo(&b);
    a.connect(b.local_addr(), b.id()).await.unwrap();
    b.wait_for_peer(&a.id(), PATIENCE).await.unwrap();
    (a, b)
}

/// Reads until the peer closes; returns the frames it sent meanwhile.
async fn wait_closed(stream: &mut (impl AsyncRead + Unpin)) -> Vec<Message> {
    let mut frames = Vec::new();
    let mut decoder = FrameDecoder::new(MAX_FRAME_LEN);
    let mut buf = vec![0u8; 64 * 1024];
    tokio::time::timeout(PATIENCE, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if decoder.feed(&buf[..n]).is_err() {
                        return;
                    }
                    while let Ok(Some(f)) = decoder.next_frame() {
                        if let Ok(env) = Envelope::decode(f) {
                            frames.push(env.message);
                        }
                    }
                }
            }
        }
    })
    .await
    .expect("the node should close this connection");
    frames
}

/// TLS (with the hybrid group) but no identity binding yet.
async fn raw_tls(node: &Node) -> tokio_rustls::client::TlsStream<TcpStream> {
    let tls = TlsContext::generate().unwrap();
    let tcp = TcpStream::connect(node.local_addr()).await.unwrap();
    tls.connector()
        .connect(TlsContext::server_name(), tcp)
        .await
        .unwrap()
}

#[tokio::test]
async fn dialing_the_wrong_identity_is_refused_with_proof_of_who_answered() {
    let a = node(1).await;
    let b = node(2).await;
    let c = node(3).await;
    echo(&b);
    // a dials b's address but expects c.
    match a.connect(b.local_addr(), c.id()).await {
        Err(Error::PeerMismatch { expected, found }) => {
            assert_eq!(expected, c.id());
            assert_eq!(found, b.id());
        }
        other => panic!("expected a peer mismatch, got {other:?}"),
    }
    assert!(a.peers().is_empty());
    eventually("b to count the misaddressed dial", || {
        b.stats().handshake_failures >= 1
    })
    .await;
    assert!(b.peers().is_empty());
    assert!(a.stats().handshake_failures >= 1);
    // The right ID works.
    a.connect(b.local_addr(), b.id()).await.unwrap();
    assert_link_works(&a, &b).await;
    // And dialing oneself is refused before any I/O.
    assert!(matches!(
        a.connect(a.local_addr(), a.id()).await,
        Err(Error::SelfConnection)
    ));
    for n in [a, b, c] {
        n.shutdown().await;
    }
}

#[tokio::test]
async fn forged_identity_signatures_are_refused() {
    let (a, b) = good_pair(10, config()).await;
    let victim = identity(5);
    let mallory = identity(6);

    // 0. Control: the same raw procedure, honestly signed, gets b's answer.
    let mut s = raw_tls(&b).await;
    let conn = &**s.get_ref().1;
    let hello = binding::sign(&mallory, Role::Dialer, mallory.id(), b.id(), conn).unwrap();
    let frame = Envelope::new(Kind::OneWay, Message::Handshake(hello))
        .encode()
        .unwrap();
    s.write_all(&frame).await.unwrap();
    s.flush().await.unwrap();
    let mut decoder = FrameDecoder::new(MAX_FRAME_LEN);
    let reply = transport::read_frame(&mut s, &mut decoder).await.unwrap();
    let Message::Handshake(reply) = Envelope::decode(reply).unwrap().message else {
        panic!("expected b's handshake");
    };
    let proven = binding::verify(&reply, Role::Listener, &**s.get_ref().1).unwrap();
    assert_eq!(proven.id(), b.id());
    b.wait_for_peer(&mallory.id(), PATIENCE).await.unwrap();
    b.disconnect(&mallory.id());
    eventually("the control link to go", || b.peer(&mallory.id()).is_none()).await;

    // 1. Mallory claims the victim's identity, signing with her own key over
    //    the right exporter.
    let mut s = raw_tls(&b).await;
    let conn = &**s.get_ref().1;
    let mut hello = binding::sign(&mallory, Role::Dialer, victim.id(), b.id(), conn).unwrap();
    hello.identity = victim.public().clone();
    let frame = Envelope::new(Kind::OneWay, Message::Handshake(hello))
        .encode()
        .unwrap();
    s.write_all(&frame).await.unwrap();
    s.flush().await.unwrap();
    assert!(
        wait_closed(&mut s).await.is_empty(),
        "no answer to a forgery"
    );

    // 2. Her own identity, but a signature over another session's exporter
    //    (a replayed or relayed binding).
    let mut s = raw_tls(&b).await;
    let elsewhere = StaticKeyingMaterial([1; 32]);
    let hello = binding::sign(&mallory, Role::Dialer, mallory.id(), b.id(), &elsewhere).unwrap();
    let frame = Envelope::new(Kind::OneWay, Message::Handshake(hello))
        .encode()
        .unwrap();
    s.write_all(&frame).await.unwrap();
    s.flush().await.unwrap();
    assert!(wait_closed(&mut s).await.is_empty());

    // 3. A listener-role signature presented by a dialer.
    let mut s = raw_tls(&b).await;
    let conn = &**s.get_ref().1;
    let hello = binding::sign(&mallory, Role::Listener, mallory.id(), b.id(), conn).unwrap();
    let frame = Envelope::new(Kind::OneWay, Message::Handshake(hello))
        .encode()
        .unwrap();
    s.write_all(&frame).await.unwrap();
    s.flush().await.unwrap();
    assert!(wait_closed(&mut s).await.is_empty());

    // 4. Something other than a handshake first.
    let mut s = raw_tls(&b).await;
    s.write_all(
        &Envelope::new(Kind::OneWay, data(1, b"hi"))
            .encode()
            .unwrap(),
    )
    .await
    .unwrap();
    s.flush().await.unwrap();
    assert!(wait_closed(&mut s).await.is_empty());

    eventually("four failed handshakes", || {
        b.stats().handshake_failures >= 4
    })
    .await;
    assert_eq!(b.peers().len(), 1);
    assert!(b.peer(&victim.id()).is_none() && b.peer(&mallory.id()).is_none());
    assert_link_works(&a, &b).await;
    assert_link_works(&b, &a).await;
    a.shutdown().await;
    b.shutdown().await;
}

/// Malformed input from an authenticated peer: each closes only its link.
#[tokio::test]
async fn oversized_truncated_and_garbage_frames_close_only_that_link() {
    let (a, b) = good_pair(20, config()).await;
    let ping_body = {
        let mut body = vec![0u8; 9];
        body.extend_from_slice(&7u64.to_be_bytes());
        body
    };
    let second_handshake = {
        let tls = StaticKeyingMaterial([0; 32]);
        let m = identity(40);
        let hs = binding::sign(&m, Role::Dialer, m.id(), b.id(), &tls).unwrap();
        Envelope::new(Kind::OneWay, Message::Handshake(hs))
            .encode()
            .unwrap()
            .to_vec()
    };
    let one_way_reject = {
        let mut body = vec![0u8; 9];
        body.extend_from_slice(&2u16.to_be_bytes());
        body.extend_from_slice(&0u32.to_be_bytes());
        encode_raw(1, MessageType::Reject.as_u8(), &body)
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "2 MiB length",
            u32::try_from(2 * MAX_FRAME_LEN)
                .unwrap()
                .to_be_bytes()
                .to_vec(),
        ),
        ("4 GiB length", u32::MAX.to_be_bytes().to_vec()),
        ("length below the header", 1u32.to_be_bytes().to_vec()),
        ("unknown type", encode_raw(1, 0x7f, &ping_body)),
        (
            "unknown version",
            encode_raw(9, MessageType::Ping.as_u8(), &ping_body),
        ),
        (
            "garbage body",
            encode_raw(1, MessageType::Attestation.as_u8(), &[0xa5; 333]),
        ),
        (
            "bad correlation kind",
            encode_raw(1, MessageType::Ping.as_u8(), &[9; 17]),
        ),
        ("one-way rejection", one_way_reject),
        ("second handshake", second_handshake),
        (
            "trailing bytes",
            encode_raw(
                1,
                MessageType::Ping.as_u8(),
                &[ping_body.clone(), vec![0]].concat(),
            ),
        ),
    ];
    let n_cases = cases.len() as u64 + 1;
    for (i, (what, bytes)) in cases.into_iter().enumerate() {
        let seed = 50 + u8::try_from(i).unwrap();
        let mut est = transport::dial(
            &TlsContext::generate().unwrap(),
            &identity(seed),
            b.local_addr(),
            b.id(),
            PATIENCE,
            PATIENCE,
        )
        .await
        .unwrap();
        b.wait_for_peer(&identity(seed).id(), PATIENCE)
            .await
            .unwrap();
        est.stream.write_all(&bytes).await.unwrap();
        est.stream.flush().await.unwrap();
        let started = Instant::now();
        wait_closed(&mut est.stream).await;
        assert!(started.elapsed() < PATIENCE, "{what}");
        eventually(what, || b.peer(&identity(seed).id()).is_none()).await;
        assert_link_works(&a, &b).await;
    }

    // Truncated: a frame header promising 1000 bytes, 10 of them, then EOF.
    let seed = 90;
    let mut est = transport::dial(
        &TlsContext::generate().unwrap(),
        &identity(seed),
        b.local_addr(),
        b.id(),
        PATIENCE,
        PATIENCE,
    )
    .await
    .unwrap();
    b.wait_for_peer(&identity(seed).id(), PATIENCE)
        .await
        .unwrap();
    let mut partial = 1000u32.to_be_bytes().to_vec();
    partial.extend_from_slice(&[1, MessageType::Data.as_u8(), 0, 0, 0, 0, 0, 0, 0, 0]);
    est.stream.write_all(&partial).await.unwrap();
    est.stream.shutdown().await.unwrap();
    wait_closed(&mut est.stream).await;
    eventually("the truncated link to go", || {
        b.peer(&identity(seed).id()).is_none()
    })
    .await;

    eventually("every violation counted", || {
        b.stats().protocol_errors == n_cases
    })
    .await;
    assert_eq!(b.peers().len(), 1);
    assert_link_works(&a, &b).await;
    assert_link_works(&b, &a).await;
    assert_eq!(a.stats().protocol_errors, 0);
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn slow_loris_handshakes_time_out() {
    let mut cfg = config();
    cfg.handshake_timeout = Duration::from_millis(500);
    let (a, b) = good_pair(100, cfg).await;
    let started = Instant::now();

    // Silent TCP.
    let mut silent = TcpStream::connect(b.local_addr()).await.unwrap();
    // A TLS record header promising 16 KiB, then nothing.
    let mut stalled = TcpStream::connect(b.local_addr()).await.unwrap();
    stalled
        .write_all(&[0x16, 0x03, 0x01, 0x40, 0x00, 0x01])
        .await
        .unwrap();
    // A byte every 100 ms.
    let mut dribble = TcpStream::connect(b.local_addr()).await.unwrap();
    let dribbler = tokio::spawn(async move {
        for byte in [0x16u8, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c, 0x03]
            .iter()
            .cycle()
            .take(200)
        {
            if dribble.write_all(&[*byte]).await.is_err() {
                return Instant::now();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("a dribbling peer was never cut off");
    });
    // TLS completed, but no identity binding follows.
    let mut mute = raw_tls(&b).await;

    // The good link works while they hang.
    assert_link_works(&a, &b).await;

    wait_closed(&mut silent).await;
    wait_closed(&mut stalled).await;
    wait_closed(&mut mute).await;
    let cut = dribbler.await.unwrap();
    assert!(cut.duration_since(started) < PATIENCE);
    assert!(started.elapsed() >= Duration::from_millis(400));
    eventually("four handshake timeouts", || {
        b.stats().handshake_timeouts >= 4
    })
    .await;
    assert_eq!(b.peers().len(), 1);
    assert_link_works(&a, &b).await;
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn connection_flood_is_bounded_and_harmless() {
    let mut cfg = config();
    cfg.max_pending_handshakes = 8;
    cfg.handshake_timeout = Duration::from_secs(2);
    let (a, b) = good_pair(110, cfg).await;

    const FLOOD: usize = 200;
    let mut flood = Vec::with_capacity(FLOOD);
    for _ in 0..FLOOD {
        flood.push(TcpStream::connect(b.local_addr()).await.unwrap());
    }
    // Some of them speak garbage instead of TLS.
    for s in flood.iter_mut().step_by(10) {
        let _ = s.write_all(b"GET / HTTP/1.1\r\n\r\n").await;
    }
    // The established link is unaffected, during the flood.
    assert_link_works(&a, &b).await;
    assert_link_works(&b, &a).await;
    eventually("the flood to be accepted", || {
        b.stats().accepted >= FLOOD as u64
    })
    .await;
    // At most 8 handshakes were ever pending: the rest were closed at once.
    let refused = b.stats().refused;
    assert!(
        refused >= (FLOOD - 8 * 4) as u64,
        "refused {refused} of {FLOOD}"
    );
    // Every flood connection is closed by the node, promptly.
    for s in &mut flood {
        wait_closed(s).await;
    }
    drop(flood);
    // A new honest peer can still get in.
    let c = node(112).await;
    echo(&c);
    c.connect(b.local_addr(), b.id()).await.unwrap();
    assert_link_works(&c, &b).await;
    assert_link_works(&a, &b).await;
    assert_eq!(b.peers().len(), 2);
    for n in [a, b, c] {
        n.shutdown().await;
    }
}

#[tokio::test]
async fn garbage_instead_of_tls_is_refused() {
    let (a, b) = good_pair(120, config()).await;
    let mut s = TcpStream::connect(b.local_addr()).await.unwrap();
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let _ = s.write_all(&junk).await;
    wait_closed(&mut s).await;
    // An oversized frame during the handshake phase (limit 8 KiB).
    let mut t = raw_tls(&b).await;
    t.write_all(&u32::try_from(MAX_FRAME_LEN).unwrap().to_be_bytes())
        .await
        .unwrap();
    t.flush().await.unwrap();
    assert!(wait_closed(&mut t).await.is_empty());
    eventually("two failed handshakes", || {
        b.stats().handshake_failures >= 2
    })
    .await;
    assert_link_works(&a, &b).await;
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn a_peer_that_never_reads_only_fills_its_own_queue() {
    let mut cfg = config();
    cfg.max_queued_bytes = 2 << 20;
    let (a, b) = good_pair(130, cfg).await;
    let sloth = identity(133);
    // Authenticated, then never reads.
    let est = transport::dial(
        &TlsContext::generate().unwrap(),
        &sloth,
        b.local_addr(),
        b.id(),
        PATIENCE,
        PATIENCE,
    )
    .await
    .unwrap();
    b.wait_for_peer(&sloth.id(), PATIENCE).await.unwrap();
    let big = data(1, &vec![7u8; 64 * 1024]);
    let mut queued = 0usize;
    let full = loop {
        match b.try_send(&sloth.id(), big.clone()) {
            Ok(()) => queued += 1,
            Err(Error::QueueFull) => break true,
            Err(e) => panic!("unexpected {e}"),
        }
        if queued > 2000 {
            break false;
        }
        tokio::task::yield_now().await;
    };
    assert!(full, "the send queue should fill: {queued} frames queued");
    // Broadcast skips the stuck peer but reaches the good one.
    assert_eq!(b.broadcast(big.clone()).unwrap(), 1);
    assert_link_works(&b, &a).await;
    assert_link_works(&a, &b).await;
    drop(est);
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn rejections_and_handshakes_cannot_be_sent_by_the_application() {
    let (a, b) = good_pair(140, config()).await;
    let reject = Message::Reject(Rejection::new(RejectCode::BUSY, "x"));
    assert!(matches!(
        a.send(&b.id(), reject).await,
        Err(Error::Protocol(_))
    ));
    let hs = {
        let m = identity(141);
        Message::Handshake(
            binding::sign(
                &m,
                Role::Dialer,
                m.id(),
                b.id(),
                &StaticKeyingMaterial([0; 32]),
            )
            .unwrap(),
        )
    };
    assert!(matches!(a.broadcast(hs), Err(Error::Protocol(_))));
    assert_link_works(&a, &b).await;
    a.shutdown().await;
    b.shutdown().await;
}
