//! Five sessiond nodes on loopback and a local HTTP server as the outside
//! world: read_external → compute(median) → write_external.
#![allow(clippy::unwrap_used)]

mod common;

use common::{price_pipeline, read_request};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use session_core::codec::Versioned;
use session_core::{
    CommitteeKeys, Id, QuorumCertificate, ReceiptProof, SessionState, StepKind, hash, receipts_tree,
};
use session_crypto::Identity;
use session_daemon::write::WriteDocument;
use session_daemon::{Daemon, DaemonConfig, Registry, RunnerConfig};
use session_net::CancellationToken;
use session_store::MemoryStore;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
struct Post {
    /// The posted JSON document.
    json: serde_json::Value,
    content_type: String,
    /// The written value, as the document carries it.
    value: Vec<u8>,
    certificate_hex: String,
}

/// A tiny HTTP/1.1 server: `GET /price` answers 41, 42, 43, ... in arrival
/// order; `POST /out` records the posted JSON document.
async fn world(delay: Duration) -> (String, Arc<Mutex<Vec<Post>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let posts = Arc::new(Mutex::new(Vec::new()));
    let seen = posts.clone();
    tokio::spawn(async move {
        let mut next = 41u32;
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let value = next;
            next += 1;
            let posts = seen.clone();
            tokio::spawn(async move {
                let request = read_request(&mut stream).await.expect("a whole request");
                let (head, body) = (&request.head, &request.body);
                let reply = if head.starts_with("GET /price ") {
                    tokio::time::sleep(delay).await;
                    value.to_string()
                } else if head.starts_with("POST /out ") {
                    let json: serde_json::Value = serde_json::from_slice(body).unwrap();
                    let value = match (
                        json["value"]["text"].as_str(),
                        json["value"]["hex"].as_str(),
                    ) {
                        (Some(t), None) => t.as_bytes().to_vec(),
                        (None, Some(h)) => hex::decode(h).unwrap(),
                        _ => panic!("bad value in {json}"),
                    };
                    posts.lock().unwrap().push(Post {
                        certificate_hex: json["certificate"].as_str().unwrap().to_owned(),
                        content_type: request.header("content-type"),
                        value,
                        json,
                    });
                    "stored".to_owned()
                } else {
                    String::new()
                };
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                    reply.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    (base, posts)
}

async fn cluster(
    n: u8,
    equivocator: Option<usize>,
) -> (Vec<Daemon>, CommitteeKeys, CancellationToken) {
    let stores = (0..n)
        .map(|_| Arc::new(MemoryStore::new()) as Arc<dyn session_store::Store>)
        .collect();
    cluster_on(stores, equivocator, 100).await
}

async fn cluster_on(
    stores: Vec<Arc<dyn session_store::Store>>,
    equivocator: Option<usize>,
    max_sessions: usize,
) -> (Vec<Daemon>, CommitteeKeys, CancellationToken) {
    cluster_with(stores, equivocator, max_sessions, None).await
}

async fn cluster_with(
    stores: Vec<Arc<dyn session_store::Store>>,
    equivocator: Option<usize>,
    max_sessions: usize,
    epoch_length: Option<Duration>,
) -> (Vec<Daemon>, CommitteeKeys, CancellationToken) {
    let token = CancellationToken::new();
    let (daemons, keys) = common::cluster(stores, &token, |i, config| {
        config.runner = RunnerConfig {
            io_timeout_ms: 200,
            stall_ticks: 3,
            max_retries: 2,
        };
        config.fault_equivocate = equivocator == Some(i);
        config.max_sessions = max_sessions;
        config.epoch_length = epoch_length;
    })
    .await;
    (daemons, keys, token)
}

async fn wait_terminal(daemons: &[Daemon], id: Id) -> Vec<session_daemon::SessionReport> {
    for _ in 0..1000 {
        let mut reports = Vec::new();
        for d in daemons {
            if let Some(r) = d.session(id).await
                && r.session.state.is_terminal()
            {
                reports.push(r);
            }
        }
        if reports.len() == daemons.len() {
            return reports;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("session did not end on every node");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_nodes_read_compute_write() {
    let (base, posts) = world(Duration::ZERO).await;
    let (daemons, keys, token) = cluster(5, None).await;
    let id = daemons[0]
        .submit(hash(b"price-service"), hash(b"tx-1"), price_pipeline(&base))
        .await
        .unwrap();
    let reports = wait_terminal(&daemons, id).await;
    let roots = reports[0].session.receipts_root;
    for r in &reports {
        assert_eq!(
            r.session.state,
            SessionState::Finalized,
            "{:?}",
            r.session.error
        );
        assert_eq!(r.session.receipts_root, roots);
        let qc = r.final_certificate.as_ref().unwrap();
        qc.verify(&keys, 4).unwrap();
        // Receipts are proven under the receipts root.
        let receipts: Vec<_> = r.outcomes.iter().flat_map(|o| o.receipts.clone()).collect();
        let tree = receipts_tree(&receipts);
        assert_eq!(Some(tree.root()), r.session.receipts_root);
        for (i, receipt) in receipts.iter().enumerate() {
            receipt.verify(&keys).unwrap();
            let proof = ReceiptProof {
                receipt: receipt.clone(),
                proof: tree.inclusion_proof(i).unwrap(),
            };
            proof.verify(&tree.root()).unwrap();
        }
    }
    // The median of 41..=45 was written once, with a valid certificate, and
    // the poster recorded the response's hash (even after finalization).
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut hashes = 0;
    for d in &daemons {
        let r = d.session(id).await.unwrap();
        assert!(r.final_certificate.is_some(), "kept in the store");
        if let Some(h) = r.outcomes[2].response_hash {
            assert_eq!(h, hash(b"stored"));
            hashes += 1;
        }
    }
    assert_eq!(hashes, 1);
    let posts = posts.lock().unwrap().clone();
    assert_eq!(posts.len(), 1);
    let post = &posts[0];
    assert_eq!(post.content_type, "application/json");
    assert_eq!(post.value, b"43");
    assert_eq!(post.json["value"], serde_json::json!({"text": "43"}));
    assert_eq!(post.json["session_id"], id.to_string());
    assert_eq!(post.json["step"], 2);
    let cert = QuorumCertificate::decode(&hex::decode(&post.certificate_hex).unwrap()).unwrap();
    cert.verify(&keys, 4).unwrap();
    assert_eq!(cert.statement.domain, session_core::Domain::OracleWrite);
    assert_eq!(post.json["attestation_id"], cert.statement.id().to_string());
    // The document ties the certificate to exactly this value.
    let bytes = serde_json::to_vec(&post.json).unwrap();
    let doc = WriteDocument::from_json(&bytes).unwrap();
    doc.verify(&keys, 4).unwrap();
    let mut forged = doc.clone();
    forged.value = b"44".to_vec();
    assert!(forged.verify(&keys, 4).is_err());
    let mut json = post.json.clone();
    json["value"] = serde_json::json!({"text": "44"});
    let forged = WriteDocument::from_json(&serde_json::to_vec(&json).unwrap()).unwrap();
    assert!(
        forged
            .verify(&keys, 4)
            .unwrap_err()
            .to_string()
            .contains("does not cover")
    );
    let other_keys: CommitteeKeys = (10..15u8)
        .map(|i| Identity::from_seeds(&[i; 64], &[i; 32]).public().clone())
        .collect();
    assert!(doc.verify(&other_keys, 4).is_err());
    assert!(WriteDocument::from_json(b"{}").is_err());
    // Bad input gets clear errors.
    let err = daemons[0]
        .submit(hash(b"s"), hash(b"tx-2"), Vec::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("at least one step"));
    let err = daemons[0]
        .submit(
            hash(b"s"),
            hash(b"tx-3"),
            vec![StepKind::ReadExternal {
                url: "ftp://example.com".into(),
            }],
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("https://"), "{err}");
    token.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fewer_than_quorum_alive_fails_cleanly() {
    let (base, posts) = world(Duration::ZERO).await;
    let (daemons, _keys, token) = cluster(5, None).await;
    daemons[3].shutdown().await;
    daemons[4].shutdown().await;
    let id = daemons[0]
        .submit(hash(b"price-service"), hash(b"tx-q"), price_pipeline(&base))
        .await
        .unwrap();
    let reports = wait_terminal(&daemons[..3], id).await;
    for r in reports {
        assert_eq!(r.session.state, SessionState::Failed);
        assert!(r.session.error.unwrap().contains("no quorum"));
    }
    assert!(posts.lock().unwrap().is_empty());
    token.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_mid_session_does_not_stop_it() {
    // Slow fetches leave time to kill the first step's leader mid-step.
    let (base, posts) = world(Duration::from_millis(300)).await;
    let (daemons, keys, token) = cluster(5, None).await;
    let id = daemons[0]
        .submit(hash(b"price-service"), hash(b"tx-k"), price_pipeline(&base))
        .await
        .unwrap();
    let committee = loop {
        if let Some(r) = daemons[0].session(id).await {
            break r.session.committee;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let victim = daemons.iter().position(|d| d.id() == committee[0]).unwrap();
    daemons[victim].shutdown().await;
    let alive: Vec<Daemon> = daemons
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != victim)
        .map(|(_, d)| d.clone())
        .collect();
    let reports = wait_terminal(&alive, id).await;
    for r in &reports {
        assert_eq!(
            r.session.state,
            SessionState::Finalized,
            "{:?}",
            r.session.error
        );
        assert_eq!(r.session.steps[0].retry, 1, "retried under the next leader");
        r.final_certificate
            .as_ref()
            .unwrap()
            .verify(&keys, 4)
            .unwrap();
    }
    let committed = &reports[0].outcomes[0].values;
    let median = session_daemon::compute::median(committed).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let posts = posts.lock().unwrap().clone();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].value, median);
    token.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_equivocating_node_is_slashed_on_every_honest_node() {
    let (base, _posts) = world(Duration::ZERO).await;
    let (daemons, _keys, token) = cluster(5, Some(4)).await;
    let offender = daemons[4].id();
    let id = daemons[0]
        .submit(hash(b"price-service"), hash(b"tx-e"), price_pipeline(&base))
        .await
        .unwrap();
    let reports = wait_terminal(&daemons[..4], id).await;
    for (d, r) in daemons[..4].iter().zip(&reports) {
        assert_eq!(
            r.session.state,
            SessionState::Finalized,
            "{:?}",
            r.session.error
        );
        assert_eq!(
            d.registry().get(&offender).unwrap().state,
            session_daemon::NodeState::Slashed
        );
    }
    token.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_api_submits_and_serves_receipts_with_proofs() {
    use session_daemon::http;
    let (base, _posts) = world(Duration::ZERO).await;
    let (daemons, keys, token) = cluster(5, None).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    let stop = token.clone();
    tokio::spawn(session_daemon::api::serve(
        listener,
        daemons[0].clone(),
        async move { stop.cancelled().await },
    ));
    let t = Duration::from_secs(5);
    let body = serde_json::json!({
        "service": "price-service",
        "tx": "api-1",
        "steps": [
            {"kind": "read_external", "url": format!("{base}/price")},
            {"kind": "compute", "function": "median"},
            {"kind": "write_external", "url": format!("{base}/out")},
        ]
    });
    let reply = http::post(
        &format!("{api}/v1/sessions"),
        &[],
        body.to_string().as_bytes(),
        1 << 20,
        t,
    )
    .await
    .unwrap();
    let reply: serde_json::Value = serde_json::from_slice(&reply).unwrap();
    let id = reply["session_id"].as_str().unwrap().to_owned();
    let state = loop {
        let s = http::get(&format!("{api}/v1/sessions/{id}"), 1 << 20, t)
            .await
            .unwrap();
        let s: serde_json::Value = serde_json::from_slice(&s).unwrap();
        if s["state"] == "finalized" || s["state"] == "failed" {
            break s;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(state["state"], "finalized", "{state}");
    assert_eq!(state["output"]["text"], "43");
    let r = http::get(&format!("{api}/v1/sessions/{id}/receipts"), 1 << 22, t)
        .await
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&r).unwrap();
    // The CLI's tests check a document made here: refresh it with
    // SESSIOND_WRITE_RECEIPTS=crates/session-cli/tests/data/receipts.json.
    if let Ok(path) = std::env::var("SESSIOND_WRITE_RECEIPTS") {
        std::fs::write(path, serde_json::to_vec_pretty(&r).unwrap()).unwrap();
    }
    let root: Id = r["final_receipts_root"].as_str().unwrap().parse().unwrap();
    let receipts = r["receipts"].as_array().unwrap();
    assert!(receipts.len() >= 8);
    for entry in receipts {
        let bytes = hex::decode(entry["proof"].as_str().unwrap()).unwrap();
        let proof = ReceiptProof::decode(&bytes).unwrap();
        proof.verify(&root).unwrap();
        proof.receipt.verify(&keys).unwrap();
    }
    // The document verifies offline on its own (what `session receipt verify` does).
    let summary = session_daemon::verify::verify_receipts_document(&r).unwrap();
    assert_eq!(summary.receipts, receipts.len());
    assert_eq!(summary.committee, 5);
    let mut tampered = r.clone();
    tampered["output_hash"] = serde_json::Value::String(hash(b"other").to_string());
    assert!(session_daemon::verify::verify_receipts_document(&tampered).is_err());
    let mut tampered = r.clone();
    tampered["receipts"][0]["proof"] = r["receipts"][1]["proof"].clone();
    tampered["final_receipts_root"] = serde_json::Value::String(hash(b"x").to_string());
    assert!(session_daemon::verify::verify_receipts_document(&tampered).is_err());
    let qc = hex::decode(r["final_certificate"].as_str().unwrap()).unwrap();
    QuorumCertificate::decode(&qc)
        .unwrap()
        .verify(&keys, 4)
        .unwrap();
    // Bad input: clear errors.
    for bad in [
        "{}".to_owned(),
        "not json".to_owned(),
        serde_json::json!({"service": "s", "steps": [{"kind": "compute", "function": "nope"}]})
            .to_string(),
    ] {
        let err = http::post(
            &format!("{api}/v1/sessions"),
            &[],
            bad.as_bytes(),
            1 << 20,
            t,
        )
        .await
        .unwrap_err();
        assert!(err.0.contains("400"), "{err}");
    }
    let err = http::get(&format!("{api}/v1/sessions/{}", hash(b"nope")), 1 << 20, t)
        .await
        .unwrap_err();
    assert!(err.0.contains("404"), "{err}");
    token.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_committee_restarts_mid_session_and_resumes_from_redb() {
    let dir = tempfile::tempdir().unwrap();
    let path = |i: usize| dir.path().join(format!("n{i}.redb"));
    let open = |i: usize| -> Arc<dyn session_store::Store> {
        Arc::new(session_store::RedbStore::open(path(i)).unwrap())
    };
    // Fetches take 400 ms, so the first step is still waiting when we stop.
    let (base, posts) = world(Duration::from_millis(400)).await;
    let (daemons, keys, token) = cluster_on((0..5).map(open).collect(), None, 100).await;
    let id = daemons[0]
        .submit(hash(b"price-service"), hash(b"tx-r"), price_pipeline(&base))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    for d in &daemons {
        assert_eq!(
            d.session(id).await.unwrap().session.state,
            SessionState::WaitingIo
        );
    }
    token.cancel();
    for d in &daemons {
        d.shutdown().await;
    }
    drop(daemons);
    // Let the stopped loops and fetches release their stores.
    let mut stores = Vec::new();
    for i in 0..5 {
        let mut store = None;
        for _ in 0..100 {
            match session_store::RedbStore::open(path(i)) {
                Ok(s) => {
                    store = Some(Arc::new(s) as Arc<dyn session_store::Store>);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        stores.push(store.expect("store released"));
    }
    let (daemons, _keys, token) = cluster_on(stores, None, 100).await;
    let reports = wait_terminal(&daemons, id).await;
    for r in &reports {
        assert_eq!(
            r.session.state,
            SessionState::Finalized,
            "{:?}",
            r.session.error
        );
        assert!(
            r.session.steps[0].retry >= 1,
            "the interrupted step was retried"
        );
        r.final_certificate
            .as_ref()
            .unwrap()
            .verify(&keys, 4)
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(posts.lock().unwrap().len(), 1);
    token.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_sessions_is_enforced() {
    let (base, _posts) = world(Duration::from_millis(200)).await;
    let stores = (0..5)
        .map(|_| Arc::new(MemoryStore::new()) as Arc<dyn session_store::Store>)
        .collect();
    let (daemons, _keys, token) = cluster_on(stores, None, 1).await;
    let first = daemons[0]
        .submit(
            hash(b"price-service"),
            hash(b"tx-m1"),
            price_pipeline(&base),
        )
        .await
        .unwrap();
    let err = daemons[0]
        .submit(
            hash(b"price-service"),
            hash(b"tx-m2"),
            price_pipeline(&base),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, session_daemon::Error::TooManySessions),
        "{err}"
    );
    let err = daemons[0]
        .submit(
            hash(b"price-service"),
            hash(b"tx-m1"),
            price_pipeline(&base),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("exists"), "{err}");
    wait_terminal(&daemons, first).await;
    daemons[0]
        .submit(
            hash(b"price-service"),
            hash(b"tx-m3"),
            price_pipeline(&base),
        )
        .await
        .unwrap();
    token.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn epochs_advance_with_attested_beacons_and_sessions_follow() {
    // Fetches take 400 ms and epochs 300 ms: the session outlives its epoch.
    let (base, posts) = world(Duration::from_millis(400)).await;
    let stores: Vec<Arc<dyn session_store::Store>> = (0..5)
        .map(|_| Arc::new(MemoryStore::new()) as Arc<dyn session_store::Store>)
        .collect();
    let (daemons, keys, token) =
        cluster_with(stores.clone(), None, 100, Some(Duration::from_millis(300))).await;
    let genesis = daemons[0].registry().beacon(1).copied().unwrap();
    let reached = |e: u64| daemons.iter().all(|d| d.registry().epoch() >= e);
    assert!(
        common::eventually(|| reached(3), 500).await,
        "epochs did not advance on every node"
    );
    // Every node holds the same chain of certified beacons.
    for e in 2..=3 {
        let beacon = daemons[0].registry().beacon(e).copied().unwrap();
        assert!(beacon.attestation_id.is_some());
        for d in &daemons {
            assert_eq!(d.registry().beacon(e).copied(), Some(beacon), "epoch {e}");
        }
    }
    assert!(daemons[0].registry().beacon(2).unwrap().follows(&genesis));
    let service = hash(b"price-service");
    let id = daemons[0]
        .submit(service, hash(b"tx-epoch"), price_pipeline(&base))
        .await
        .unwrap();
    let reports = wait_terminal(&daemons, id).await;
    let epoch = reports[0].session.epoch;
    assert!(epoch >= 3, "the session runs in the new epoch ({epoch})");
    let committee = daemons[0].registry().committee(&service, epoch).unwrap();
    for (d, r) in daemons.iter().zip(&reports) {
        assert_eq!(
            r.session.state,
            SessionState::Finalized,
            "{:?}",
            r.session.error
        );
        assert_eq!(r.session.epoch, epoch, "a running session keeps its epoch");
        assert_eq!(r.session.committee, committee.members);
        let qc = r.final_certificate.as_ref().unwrap();
        assert_eq!(qc.statement.epoch, epoch);
        qc.verify(&keys, 4).unwrap();
        assert!(d.registry().epoch() > epoch, "epochs went on meanwhile");
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(posts.lock().unwrap().len(), 1);
    // The beacons are persisted.
    for (d, store) in daemons.iter().zip(stores) {
        let stored = session_daemon::DaemonStore::new(store)
            .load_registry(session_core::CommitteeConfig::default())
            .unwrap();
        assert!(stored.epoch() > epoch);
        assert_eq!(stored.beacon(epoch), d.registry().beacon(epoch));
    }
    token.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_missed_epochs_catches_up() {
    let epoch_length = Duration::from_millis(250);
    let stores: Vec<Arc<dyn session_store::Store>> = (0..5)
        .map(|_| Arc::new(MemoryStore::new()) as Arc<dyn session_store::Store>)
        .collect();
    let (daemons, _keys, token) = cluster_with(stores.clone(), None, 100, Some(epoch_length)).await;
    daemons[4].shutdown().await;
    let alive = &daemons[..4];
    let at = |e: u64| alive.iter().all(|d| d.registry().epoch() >= e);
    assert!(
        common::eventually(|| at(4), 500).await,
        "4 of 5 still reach the quorum"
    );
    let behind = daemons[4].registry().epoch();
    assert!(behind < 4);
    // Node 4 comes back with its store and catches up from its peers.
    let identity = Identity::from_seeds(&[5; 64], &[5; 32]);
    let mut config = DaemonConfig::listening_on("127.0.0.1:0".parse().unwrap());
    config.epoch_length = Some(epoch_length);
    let back = Daemon::start(
        identity,
        stores[4].clone(),
        Registry::new(),
        config,
        token.clone(),
    )
    .await
    .unwrap();
    assert_eq!(back.registry().epoch(), behind, "restored from its store");
    for d in alive {
        back.net()
            .connect(d.net().local_addr(), d.net().id())
            .await
            .unwrap();
    }
    let target = alive[0].registry().epoch();
    assert!(
        common::eventually(|| back.registry().epoch() >= target, 500).await,
        "caught up"
    );
    for e in 2..=target {
        assert_eq!(back.registry().beacon(e), alive[0].registry().beacon(e));
    }
    token.cancel();
}
