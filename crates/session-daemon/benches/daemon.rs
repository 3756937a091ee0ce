//! Benches: attestation verification, and a whole 3-step session
//! (read → median → write) among 5 in-memory runners (CPU cost of the
//! protocol without sockets).
#![allow(missing_docs, clippy::unwrap_used)]

use std::collections::VecDeque;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use session_core::{
    Attestation, CommitteeKeys, Domain, Id, Session, SessionState, Statement, StepKind, hash,
    node_id,
};
use session_crypto::{Identity, PublicIdentity};
use session_daemon::{Action, Event, Functions, Message, Runner, RunnerConfig};

/// A copy of `key` prepared for verification (the original stays plain).
fn prepared(key: &PublicIdentity) -> PublicIdentity {
    let copy = PublicIdentity::from_bytes(&key.to_bytes()).unwrap();
    copy.prepare();
    copy
}

fn identities(n: u8) -> Vec<Identity> {
    (0..n)
        .map(|i| Identity::from_seeds(&[i + 1; 64], &[i + 1; 32]))
        .collect()
}

fn attestations(c: &mut Criterion) {
    let ids = identities(5);
    let keys: CommitteeKeys = ids.iter().map(|i| i.public().clone()).collect();
    let statement = Statement {
        domain: Domain::OracleRead,
        subject_id: hash(b"request"),
        commit_root: hash(b"root"),
        epoch: 1,
    };
    let a = Attestation::sign(&ids[0], statement);
    let mut g = c.benchmark_group("attestation");
    g.throughput(Throughput::Elements(1));
    g.bench_function("verify", |b| b.iter(|| a.verify(&keys).unwrap()));
    // As the node verifies: the registry hands out prepared member keys.
    let prepared: CommitteeKeys = ids.iter().map(|i| prepared(i.public())).collect();
    g.bench_function("verify_prepared_key", |b| {
        b.iter(|| a.verify(&prepared).unwrap())
    });
    g.finish();
}

/// Runs one session among 5 runners to the end; returns whether all finalized.
fn run_session(ids: &[Identity], keys: &CommitteeKeys, session: &Session) -> bool {
    let mut runners: Vec<Runner> = ids
        .iter()
        .map(|i| {
            Runner::new(
                session.clone(),
                Vec::new(),
                i,
                keys,
                Functions::builtin(),
                RunnerConfig::default(),
            )
            .unwrap()
        })
        .collect();
    let node_ids: Vec<Id> = ids.iter().map(|i| node_id(i.public())).collect();
    let mut queue: VecDeque<(usize, Event)> = (0..ids.len()).map(|i| (i, Event::Start)).collect();
    while let Some((i, event)) = queue.pop_front() {
        for action in runners[i].handle(&ids[i], 0, event) {
            match action {
                Action::Fetch { request_id, .. } => queue.push_back((
                    i,
                    Event::Fetched {
                        request_id,
                        result: Ok((40 + i).to_string().into_bytes()),
                    },
                )),
                Action::Broadcast(m) => {
                    for (j, _) in ids.iter().enumerate().filter(|(j, _)| *j != i) {
                        let message: Box<Message> = Box::new(m.clone());
                        queue.push_back((
                            j,
                            Event::Message {
                                from: node_ids[i],
                                message,
                            },
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    runners
        .iter()
        .all(|r| r.session().state == SessionState::Finalized)
}

fn sessions(c: &mut Criterion) {
    let ids = identities(5);
    let keys: CommitteeKeys = ids.iter().map(|i| prepared(i.public())).collect();
    let committee: Vec<Id> = ids.iter().map(|i| node_id(i.public())).collect();
    let mut session = Session::new(hash(b"svc"), 1, hash(b"tx"), committee).unwrap();
    for kind in [
        StepKind::ReadExternal {
            url: "http://x/price".into(),
        },
        StepKind::Compute {
            function: "median".into(),
            args: Vec::new(),
        },
        StepKind::WriteExternal {
            url: "http://x/out".into(),
            payload: Vec::new(),
        },
    ] {
        session.add_step(kind, session.tx_id, Id::ZERO).unwrap();
    }
    assert!(run_session(&ids, &keys, &session));
    let mut g = c.benchmark_group("session");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1));
    g.bench_function("3_steps_5_members_in_memory", |b| {
        b.iter(|| assert!(run_session(&ids, &keys, &session)))
    });
    g.finish();
}

criterion_group!(benches, attestations, sessions);
criterion_main!(benches);
