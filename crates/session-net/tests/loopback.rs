//! Real TCP on loopback: nodes connect, authenticate with their identities
//! over TLS 1.3 with X25519MLKEM768, and exchange every message type.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use session_core::{
    Attestation, CommitteeKeys, Domain, OracleRecord, OracleRequest, Receipt, RequestKind, Session,
    Statement, hash, oracle_commit_root,
};
use session_net::{
    Direction, Error, Heartbeat, Message, MessageType, NamedGroup, OracleCommit, PeerAddr, Ping,
    RejectCode, SessionStart,
};

type Log = Arc<parking_lot::Mutex<Vec<(session_crypto::IdentityId, Message)>>>;

fn oracle_request() -> OracleRequest {
    OracleRequest {
        service_id: hash(b"svc"),
        session_id: hash(b"session"),
        step: 2,
        retry: 0,
        tx_id: hash(b"tx"),
        kind: RequestKind::Read,
        input_hash: hash(b"input"),
    }
}

/// One message of every application type, signed by `signer`.
fn application_messages(signer: &session_crypto::Identity) -> Vec<Message> {
    let committee = vec![hash(b"n1"), hash(b"n2"), hash(b"n3")];
    let session = Session::new(hash(b"svc"), 7, hash(b"tx"), committee).unwrap();
    let req = oracle_request();
    let record = OracleRecord::sign(signer, req.id(), b"price=42".to_vec()).unwrap();
    let statement = Statement {
        domain: Domain::OracleRead,
        subject_id: req.id(),
        commit_root: oracle_commit_root(std::slice::from_ref(&record)),
        epoch: 7,
    };
    vec![
        Message::SessionCreate(Box::new(session.clone())),
        Message::SessionStart(SessionStart {
            session_id: session.id,
        }),
        Message::OracleRequest(req),
        Message::OracleRecord(record.clone()),
        Message::OracleCommit(OracleCommit {
            request_id: req.id(),
            commit_root: statement.commit_root,
            record_ids: vec![record.id()],
        }),
        Message::Attestation(Attestation::sign(signer, statement)),
        Message::Receipt(Receipt::sign(
            signer,
            session.id,
            2,
            hash(b"msg"),
            hash(b"sender"),
        )),
        data(3, b"opaque payload"),
    ]
}

#[tokio::test]
async fn two_nodes_authenticate_and_exchange_every_message_type() {
    let a = node(1).await;
    let b = node(2).await;
    let mut inbox = b.subscribe();

    // a dials b; both sides see the other's proven identity and the hybrid group.
    let info = a.connect(b.local_addr(), b.id()).await.unwrap();
    assert_eq!(info.id, b.id());
    assert_eq!(info.direction, Direction::Outbound);
    assert_eq!(info.kx_group, Some(NamedGroup::X25519MLKEM768));
    let back = b.wait_for_peer(&a.id(), PATIENCE).await.unwrap();
    assert_eq!(back.direction, Direction::Inbound);
    assert_eq!(back.kx_group, Some(NamedGroup::X25519MLKEM768));
    assert_eq!(u16::from(NamedGroup::X25519MLKEM768), 0x11ec);

    // Every application type, one-way, arrives intact and in order.
    let signer = identity(1);
    let sent = application_messages(&signer);
    for m in &sent {
        a.send(&b.id(), m.clone()).await.unwrap();
    }
    // Keepalive types are consumed by the transport, never delivered.
    a.send(&b.id(), Message::Heartbeat(Heartbeat { seq: 1 }))
        .await
        .unwrap();
    a.send(&b.id(), Message::Ping(Ping { nonce: 5 }))
        .await
        .unwrap();
    for expected in &sent {
        let got = tokio::time::timeout(PATIENCE, inbox.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got.from, a.id());
        assert_eq!(got.peer, *a.public_identity());
        assert!(!got.is_request());
        assert_eq!(&got.message, expected);
    }
    // The signed payloads still verify on the far side.
    let keys: CommitteeKeys = [a.public_identity().clone()].into_iter().collect();
    for m in &sent {
        match m {
            Message::OracleRecord(r) => r.verify(&keys).unwrap(),
            Message::Attestation(x) => x.verify(&keys).unwrap(),
            Message::Receipt(r) => r.verify(&keys).unwrap(),
            _ => {}
        }
    }

    // Request/response: b answers an oracle request with its signed record.
    let b_identity = Arc::new(identity(2));
    b.set_handler(MessageType::OracleRequest, move |req| {
        let id = b_identity.clone();
        async move {
            let Message::OracleRequest(r) = &req.message else {
                return;
            };
            let record = OracleRecord::sign(&id, r.id(), b"observed".to_vec()).unwrap();
            req.respond(Message::OracleRecord(record)).await.unwrap();
        }
    })
    .unwrap();
    let reply = a
        .request(&b.id(), Message::OracleRequest(oracle_request()), PATIENCE)
        .await
        .unwrap();
    let Message::OracleRecord(record) = reply else {
        panic!("expected a record, got {reply:?}");
    };
    assert_eq!(record.request_id, oracle_request().id());
    let b_keys: CommitteeKeys = [b.public_identity().clone()].into_iter().collect();
    record.verify(&b_keys).unwrap();

    // Requests the far side does not handle come back rejected (Reject type).
    b.remove_handler(MessageType::OracleRequest);
    drop(inbox);
    match a
        .request(&b.id(), Message::OracleRequest(oracle_request()), PATIENCE)
        .await
    {
        Err(Error::Rejected(r)) => assert_eq!(r.code, RejectCode::UNHANDLED),
        other => panic!("expected a rejection, got {other:?}"),
    }

    // Ping/Pong measures the round trip, both explicitly and in the background.
    let rtt = a.ping(&b.id(), PATIENCE).await.unwrap();
    assert!(rtt > Duration::ZERO && rtt < PATIENCE);
    assert!(a.peer(&b.id()).unwrap().rtt.is_some());
    eventually("b's background ping", || {
        b.peer(&a.id()).is_some_and(|p| p.rtt.is_some())
    })
    .await;

    // Heartbeats flow without application traffic.
    let before = b.peer(&a.id()).unwrap().frames_in;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(b.peer(&a.id()).unwrap().frames_in > before);

    assert_eq!(a.stats().protocol_errors, 0);
    assert_eq!(b.stats().protocol_errors, 0);
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn five_nodes_mesh_broadcast_and_request() {
    let mut nodes = Vec::new();
    for seed in 1..=5u8 {
        nodes.push(node(seed).await);
    }
    let received: Vec<Log> = (0..5).map(|_| Default::default()).collect();
    for (n, log) in nodes.iter().zip(&received) {
        echo(n);
        let log = log.clone();
        n.set_handler(MessageType::Attestation, move |m| {
            let log = log.clone();
            async move { log.lock().push((m.from, m.message)) }
        })
        .unwrap();
    }
    // Each node dials the ones after it: a full mesh of 10 links.
    for i in 0..5 {
        for j in i + 1..5 {
            nodes[i]
                .connect(nodes[j].local_addr(), nodes[j].id())
                .await
                .unwrap();
        }
    }
    for n in &nodes {
        let ids = n.peers().iter().map(|p| p.id).collect::<BTreeSet<_>>();
        let want = nodes
            .iter()
            .filter(|m| m.id() != n.id())
            .map(|m| m.id())
            .collect::<BTreeSet<_>>();
        if ids != want {
            for m in &nodes {
                if m.id() != n.id() {
                    n.wait_for_peer(&m.id(), PATIENCE).await.unwrap();
                }
            }
        }
        assert_eq!(n.peers().len(), 4);
        assert!(
            n.peers()
                .iter()
                .all(|p| p.kx_group == Some(NamedGroup::X25519MLKEM768))
        );
    }

    // Every node broadcasts its attestation; everyone gets the other four.
    let statement = Statement {
        domain: Domain::SessionComplete,
        subject_id: hash(b"session"),
        commit_root: hash(b"outputs"),
        epoch: 1,
    };
    for (seed, n) in (1..=5u8).zip(&nodes) {
        let att = Attestation::sign(&identity(seed), statement);
        assert_eq!(n.broadcast(Message::Attestation(att)).unwrap(), 4);
    }
    for (i, log) in received.iter().enumerate() {
        eventually("four attestations", || log.lock().len() == 4).await;
        let senders: BTreeSet<_> = log.lock().iter().map(|(from, _)| *from).collect();
        assert_eq!(senders.len(), 4);
        assert!(!senders.contains(&nodes[i].id()));
        let keys: CommitteeKeys = nodes.iter().map(|n| n.public_identity().clone()).collect();
        for (from, m) in log.lock().iter() {
            let Message::Attestation(a) = m else {
                panic!("not an attestation")
            };
            assert_eq!(a.signer.0, from.0);
            a.verify(&keys).unwrap();
        }
    }

    // The other application types, broadcast by every node, reaches every
    // other node intact and in order per sender.
    let mut inboxes: Vec<_> = nodes.iter().map(|n| n.subscribe()).collect();
    let mut expected = std::collections::BTreeMap::new();
    for (seed, n) in (1..=5u8).zip(&nodes) {
        let msgs: Vec<Message> = application_messages(&identity(seed))
            .into_iter()
            // Attestations and Data go to their handlers (above, below).
            .filter(|m| {
                !matches!(
                    m.message_type(),
                    MessageType::Attestation | MessageType::Data
                )
            })
            .collect();
        for m in &msgs {
            assert_eq!(n.broadcast(m.clone()).unwrap(), 4);
        }
        expected.insert(n.id(), msgs);
    }
    for (n, inbox) in nodes.iter().zip(inboxes.iter_mut()) {
        let mut by_sender: std::collections::BTreeMap<_, Vec<Message>> = Default::default();
        for _ in 0..4 * 6 {
            let m = tokio::time::timeout(PATIENCE, inbox.recv())
                .await
                .unwrap()
                .unwrap();
            by_sender.entry(m.from).or_default().push(m.message);
        }
        assert_eq!(by_sender.len(), 4);
        assert!(!by_sender.contains_key(&n.id()));
        for (from, got) in &by_sender {
            assert_eq!(got, &expected[from]);
        }
    }

    // 20 concurrent requests, one per ordered pair.
    let mut tasks = Vec::new();
    for i in 0..5 {
        for j in 0..5 {
            if i == j {
                continue;
            }
            let (from, to) = (nodes[i].clone(), nodes[j].id());
            tasks.push(tokio::spawn(async move {
                let msg = data(
                    u32::try_from(i * 5 + j).unwrap(),
                    &[u8::try_from(i).unwrap(); 100],
                );
                let reply = from.request(&to, msg.clone(), PATIENCE).await.unwrap();
                assert_eq!(reply, msg);
            }));
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    for n in &nodes {
        assert_eq!(n.stats().protocol_errors, 0);
        n.shutdown().await;
    }
}

#[tokio::test]
async fn request_timeouts_busy_and_unanswered() {
    let a = node(11).await;
    let b = node(12).await;
    // topic 0: never answers in time; topic 1: drops the request unanswered.
    b.set_handler(MessageType::Data, |req| async move {
        let Message::Data(d) = &req.message else {
            return;
        };
        if d.topic == 0 {
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
        drop(req);
    })
    .unwrap();
    a.connect(b.local_addr(), b.id()).await.unwrap();

    let r = a
        .request(&b.id(), data(0, b"slow"), Duration::from_millis(200))
        .await;
    assert!(matches!(r, Err(Error::Timeout)), "{r:?}");
    assert_eq!(a.peer(&b.id()).unwrap().requests_in_flight, 0);

    match a.request(&b.id(), data(1, b"dropped"), PATIENCE).await {
        Err(Error::Rejected(r)) => assert_eq!(r.code, RejectCode::NO_REPLY),
        other => panic!("expected NO_REPLY, got {other:?}"),
    }

    // Unknown peers and transport-only types are refused locally.
    let stranger = identity(99).id();
    assert!(matches!(
        a.request(&stranger, data(1, b""), PATIENCE).await,
        Err(Error::NotConnected(id)) if id == stranger
    ));
    assert!(a.set_handler(MessageType::Ping, |_| async {}).is_err());
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn handler_concurrency_is_bounded_per_peer() {
    let a = node(13).await;
    let mut cfg = config();
    cfg.max_inbound_handlers = 2;
    let b = node_with(14, cfg).await;
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (r2, p2) = (running.clone(), peak.clone());
    b.set_handler(MessageType::Data, move |req| {
        let (running, peak) = (r2.clone(), p2.clone());
        async move {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(300)).await;
            running.fetch_sub(1, Ordering::SeqCst);
            let m = req.message.clone();
            let _ = req.respond(m).await;
        }
    })
    .unwrap();
    a.connect(b.local_addr(), b.id()).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..6u32 {
        let a = a.clone();
        let to = b.id();
        tasks.push(tokio::spawn(async move {
            a.request(&to, data(i, b"x"), PATIENCE).await
        }));
    }
    let mut ok = 0;
    let mut busy = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(Error::Rejected(r)) if r.code == RejectCode::BUSY => busy += 1,
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert!(peak.load(Ordering::SeqCst) <= 2);
    assert!(ok >= 2, "ok {ok}");
    assert_eq!(ok + busy, 6);
    assert!(busy >= 1, "six simultaneous requests against two slots");
    assert!(b.stats().requests_rejected >= 1);
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn kept_peers_reconnect_after_a_drop() {
    let b = node(22).await;
    echo(&b);
    // a keeps b from its bootstrap list.
    let mut cfg = config();
    cfg.bootstrap = vec![PeerAddr::new(b.id(), b.local_addr())];
    let a = node_with(21, cfg).await;
    echo(&a);
    a.wait_for_peer(&b.id(), PATIENCE).await.unwrap();
    assert_link_works(&a, &b).await;

    // b drops the link; a redials after a short backoff.
    let opened = a.stats().links_opened;
    assert!(b.disconnect(&a.id()));
    eventually("a to redial b", || {
        a.stats().links_opened > opened && a.peer(&b.id()).is_some()
    })
    .await;
    b.wait_for_peer(&a.id(), PATIENCE).await.unwrap();
    assert_link_works(&a, &b).await;
    assert_link_works(&b, &a).await;

    // Once a stops keeping b, a dropped link stays down.
    assert!(a.remove_peer(&b.id()));
    assert!(!a.remove_peer(&b.id()));
    let opened = a.stats().links_opened;
    a.disconnect(&b.id());
    eventually("the link to go", || a.peer(&b.id()).is_none()).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(a.stats().links_opened, opened);
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn reconnects_to_a_restarted_peer() {
    let b_addr;
    let a = node(31).await;
    echo(&a);
    {
        let b = node(32).await;
        b_addr = b.local_addr();
        assert!(a.add_peer(PeerAddr::new(b.id(), b_addr)));
        a.wait_for_peer(&b.id(), PATIENCE).await.unwrap();
        b.shutdown().await;
    }
    eventually("a to notice b is gone", || a.peers().is_empty()).await;
    // b comes back on the same address with the same identity.
    let mut cfg = config();
    cfg.listen = b_addr;
    let b = node_with(32, cfg).await;
    echo(&b);
    a.wait_for_peer(&b.id(), PATIENCE).await.unwrap();
    b.wait_for_peer(&a.id(), PATIENCE).await.unwrap();
    assert_link_works(&a, &b).await;
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn simultaneous_dials_settle_on_one_link() {
    let a = node(41).await;
    let b = node(42).await;
    echo(&a);
    echo(&b);
    let (ra, rb) = tokio::join!(
        a.connect(b.local_addr(), b.id()),
        b.connect(a.local_addr(), a.id())
    );
    ra.unwrap();
    rb.unwrap();
    // Both ends converge on the same single link.
    eventually("one live link each", || {
        a.peers().len() == 1
            && b.peers().len() == 1
            && a.stats().links_opened - a.stats().links_closed <= 1
            && b.stats().links_opened - b.stats().links_closed <= 1
    })
    .await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let ok_ab = a.request(&b.id(), data(1, b"x"), PATIENCE).await.is_ok();
        let ok_ba = b.request(&a.id(), data(1, b"y"), PATIENCE).await.is_ok();
        if ok_ab && ok_ba {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no working link");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pa = a.peer(&b.id()).unwrap();
    let pb = b.peer(&a.id()).unwrap();
    assert_ne!(
        pa.direction, pb.direction,
        "both ends hold the same TCP link"
    );
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn shutdown_closes_links_and_fails_waiters() {
    let a = node(51).await;
    let b = node(52).await;
    // b sits on requests so one is in flight at shutdown.
    b.set_handler(MessageType::Data, |req| async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(req);
    })
    .unwrap();
    a.connect(b.local_addr(), b.id()).await.unwrap();
    b.wait_for_peer(&a.id(), PATIENCE).await.unwrap();
    let waiting = {
        let a = a.clone();
        let to = b.id();
        tokio::spawn(async move { a.request(&to, data(1, b"x"), PATIENCE).await })
    };
    eventually("the request to be in flight", || {
        a.peer(&b.id()).is_some_and(|p| p.requests_in_flight == 1)
    })
    .await;
    let started = std::time::Instant::now();
    tokio::time::timeout(PATIENCE, a.shutdown()).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(a.is_shut_down());
    assert!(matches!(waiting.await.unwrap(), Err(Error::Disconnected)));
    assert!(matches!(
        a.request(&b.id(), data(1, b""), PATIENCE).await,
        Err(Error::Shutdown)
    ));
    assert!(matches!(
        a.connect(b.local_addr(), b.id()).await,
        Err(Error::Shutdown)
    ));
    // The far side sees the link go.
    eventually("b to drop a", || b.peers().is_empty()).await;
    // The listener is closed.
    assert!(
        tokio::net::TcpStream::connect(a.local_addr())
            .await
            .is_err()
    );
    b.shutdown().await;
}

#[tokio::test]
async fn dropping_the_last_handle_shuts_down() {
    let b = node(62).await;
    let a = node(61).await;
    a.connect(b.local_addr(), b.id()).await.unwrap();
    let token = a.shutdown_token();
    drop(a);
    assert!(token.is_cancelled());
    eventually("b to drop a", || b.peers().is_empty()).await;
    b.shutdown().await;
}

#[tokio::test]
async fn peer_limit_is_enforced() {
    let mut cfg = config();
    cfg.max_peers = 1;
    let hub = node_with(71, cfg).await;
    let a = node(72).await;
    let c = node(73).await;
    a.connect(hub.local_addr(), hub.id()).await.unwrap();
    hub.wait_for_peer(&a.id(), PATIENCE).await.unwrap();
    assert!(c.connect(hub.local_addr(), hub.id()).await.is_err());
    assert_eq!(hub.peers().len(), 1);
    assert!(hub.stats().refused >= 1);
    // The hub cannot dial out past its limit either.
    assert!(matches!(
        hub.connect(c.local_addr(), c.id()).await,
        Err(Error::TooManyPeers)
    ));
    for n in [hub, a, c] {
        n.shutdown().await;
    }
}

#[tokio::test]
async fn an_external_shutdown_token_stops_the_node_but_not_vice_versa() {
    let token = session_net::CancellationToken::new();
    let a = session_net::Node::bind_with_shutdown(identity(81), config(), token.clone())
        .await
        .unwrap();
    let b = node(82).await;
    a.connect(b.local_addr(), b.id()).await.unwrap();
    // Dropping another node bound to the same token leaves the token alone.
    let c = session_net::Node::bind_with_shutdown(identity(83), config(), token.clone())
        .await
        .unwrap();
    drop(c);
    assert!(!token.is_cancelled());
    assert!(!a.is_shut_down());
    // Cancelling the token stops the node and its links.
    token.cancel();
    assert!(a.is_shut_down());
    tokio::time::timeout(PATIENCE, a.shutdown()).await.unwrap();
    eventually("b to drop a", || b.peers().is_empty()).await;
    b.shutdown().await;
}

#[tokio::test]
async fn idle_peers_are_dropped() {
    let mut cfg = config();
    cfg.idle_timeout = Duration::from_millis(600);
    cfg.heartbeat_interval = Duration::from_millis(100);
    let b = node_with(92, cfg).await;
    let a = node(91).await;
    echo(&b);
    // A live node keeps its link up past the idle timeout (heartbeats).
    a.connect(b.local_addr(), b.id()).await.unwrap();
    // A raw peer that authenticates and then goes silent is cut off.
    let mute = identity(93);
    let est = session_net::transport::dial(
        &session_net::tls::TlsContext::generate().unwrap(),
        &mute,
        b.local_addr(),
        b.id(),
        PATIENCE,
        PATIENCE,
    )
    .await
    .unwrap();
    b.wait_for_peer(&mute.id(), PATIENCE).await.unwrap();
    let started = std::time::Instant::now();
    eventually("the silent peer to be dropped", || {
        b.peer(&mute.id()).is_none()
    })
    .await;
    assert!(started.elapsed() >= Duration::from_millis(400));
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(b.peer(&a.id()).is_some(), "the live peer stays");
    assert_link_works(&a, &b).await;
    drop(est);
    a.shutdown().await;
    b.shutdown().await;
}
