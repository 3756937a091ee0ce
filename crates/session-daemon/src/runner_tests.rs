//! The runner driven by an in-memory network of five members.

use std::collections::VecDeque;
use std::sync::Arc;

use session_core::{CommitteeKeys, Id, ReceiptProof, SessionState, StepKind, hash, node_id};
use session_store::MemoryStore;

use super::*;
use crate::registry::{NodeState, Registry};
use crate::store::DaemonStore;

const READ_URL: &str = "http://world.test/price";
const WRITE_URL: &str = "http://world.test/out";

struct Node {
    identity: Identity,
    runner: Runner,
    alive: bool,
    finalized: Option<QuorumCertificate>,
    failed: Option<String>,
    evidence: Vec<Evidence>,
    registry: Registry,
    store: DaemonStore,
}

struct Net {
    nodes: Vec<Node>,
    queue: VecDeque<(usize, Id, Message)>,
    now: u64,
    posts: Vec<(String, Vec<u8>, QuorumCertificate)>,
    /// Node index → value it reads.
    values: Vec<&'static str>,
    /// Nodes that send a second, conflicting record.
    equivocators: Vec<usize>,
}

fn identities(n: u8) -> Vec<Identity> {
    (0..n)
        .map(|i| Identity::from_seeds(&[i + 1; 64], &[i + 1; 32]))
        .collect()
}

fn session(ids: &[Identity], steps: Vec<StepKind>) -> Session {
    let committee: Vec<Id> = ids.iter().map(|i| node_id(i.public())).collect();
    let mut s = Session::new(hash(b"svc"), 1, hash(b"tx"), committee).unwrap();
    for kind in steps {
        let input = hash(kind.name().as_bytes());
        s.add_step(kind, s.tx_id, input).unwrap();
    }
    s
}

fn pipeline() -> Vec<StepKind> {
    vec![
        StepKind::ReadExternal {
            url: READ_URL.into(),
        },
        StepKind::Compute {
            function: "median".into(),
            args: Vec::new(),
        },
        StepKind::WriteExternal {
            url: WRITE_URL.into(),
            payload: Vec::new(),
        },
    ]
}

fn config() -> RunnerConfig {
    RunnerConfig {
        io_timeout_ms: 100,
        stall_ticks: 3,
        max_retries: 2,
    }
}

impl Net {
    fn new(steps: Vec<StepKind>) -> Net {
        let ids = identities(5);
        let keys: CommitteeKeys = ids.iter().map(|i| i.public().clone()).collect();
        let s = session(&ids, steps);
        let nodes = ids
            .into_iter()
            .map(|identity| {
                let runner = Runner::new(
                    s.clone(),
                    Vec::new(),
                    &identity,
                    &keys,
                    Functions::builtin(),
                    config(),
                )
                .unwrap();
                let mut registry = Registry::new();
                for k in keys.ids() {
                    let public = keys.get(k).unwrap().clone();
                    registry.register(public).unwrap();
                    registry.activate(k).unwrap();
                }
                Node {
                    identity,
                    runner,
                    alive: true,
                    finalized: None,
                    failed: None,
                    evidence: Vec::new(),
                    registry,
                    store: DaemonStore::new(Arc::new(MemoryStore::new())),
                }
            })
            .collect();
        Net {
            nodes,
            queue: VecDeque::new(),
            now: 0,
            posts: Vec::new(),
            values: vec!["41", "42", "43", "44", "1000"],
            equivocators: Vec::new(),
        }
    }

    fn id(&self, i: usize) -> Id {
        node_id(self.nodes[i].identity.public())
    }

    fn event(&mut self, i: usize, event: Event) {
        if !self.nodes[i].alive {
            return;
        }
        let node = &mut self.nodes[i];
        let actions = node.runner.handle(&node.identity, self.now, event);
        self.apply(i, actions);
    }

    fn broadcast(&mut self, from: usize, message: Message) {
        let from_id = self.id(from);
        for to in 0..self.nodes.len() {
            if to != from {
                self.queue.push_back((to, from_id, message.clone()));
            }
        }
    }

    fn apply(&mut self, i: usize, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::Fetch { request_id, url } => {
                    assert_eq!(url, READ_URL);
                    let value = self.values[i].as_bytes().to_vec();
                    if self.equivocators.contains(&i) {
                        let node = &self.nodes[i];
                        let twin =
                            OracleRecord::sign(&node.identity, request_id, b"7".to_vec()).unwrap();
                        self.broadcast(i, Message::Record(twin));
                    }
                    self.event(
                        i,
                        Event::Fetched {
                            request_id,
                            result: Ok(value),
                        },
                    );
                }
                Action::Post {
                    request_id,
                    url,
                    document,
                } => {
                    let node = &self.nodes[i];
                    let keys = node.registry.keys(&node.runner.session().committee);
                    document
                        .verify(&keys, session_core::quorum(keys.len()))
                        .unwrap();
                    self.posts
                        .push((url, document.value.clone(), document.certificate));
                    self.event(
                        i,
                        Event::Posted {
                            request_id,
                            result: Ok(hash(b"ok")),
                        },
                    );
                }
                Action::Broadcast(m) => self.broadcast(i, m),
                Action::Evidence(e) => {
                    let node = &mut self.nodes[i];
                    node.registry.apply_evidence(&e).unwrap();
                    node.evidence.push(*e);
                }
                Action::Persist => {
                    let node = &self.nodes[i];
                    node.store
                        .save_session(node.runner.session(), node.runner.outcomes())
                        .unwrap();
                }
                Action::Finalized(qc) => self.nodes[i].finalized = Some(*qc),
                Action::Failed(reason) => self.nodes[i].failed = Some(reason),
            }
        }
    }

    fn deliver(&mut self) {
        let mut budget = 100_000;
        while let Some((to, from, message)) = self.queue.pop_front() {
            budget -= 1;
            assert!(budget > 0, "message storm");
            if self.nodes[to].alive {
                self.event(
                    to,
                    Event::Message {
                        from,
                        message: Box::new(message),
                    },
                );
            }
        }
    }

    fn start(&mut self) {
        for i in 0..self.nodes.len() {
            self.event(i, Event::Start);
        }
        self.deliver();
    }

    /// Ticks every 50 ms until every live node is done (or 5 s pass).
    fn run(&mut self) {
        self.deliver();
        while self.now < 5_000
            && self
                .nodes
                .iter()
                .any(|n| n.alive && !n.runner.session().state.is_terminal())
        {
            self.now += 50;
            for i in 0..self.nodes.len() {
                self.event(i, Event::Tick);
            }
            self.deliver();
        }
    }

    fn live(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|n| n.alive)
    }
}

fn check_finalized(net: &Net, expected_body: &[u8]) {
    let first = net.live().next().unwrap();
    let roots = first.runner.final_roots().unwrap();
    let keys: CommitteeKeys = net
        .nodes
        .iter()
        .map(|n| n.identity.public().clone())
        .collect();
    for node in net.live() {
        let s = node.runner.session();
        assert_eq!(s.state, SessionState::Finalized, "{:?}", node.failed);
        assert_eq!(node.runner.final_roots(), Some(roots));
        assert_eq!(s.output_hash, Some(roots.0));
        let qc = node.finalized.as_ref().unwrap();
        qc.verify(&keys, 4).unwrap();
        assert_eq!(qc.statement.subject_id, s.id);
        // Every receipt verifies and is proven under the receipts root.
        let receipts = node.runner.receipts();
        assert!(receipts.len() >= 2 * 4, "a quorum of receipts per I/O step");
        let tree = receipts_tree(&receipts);
        assert_eq!(tree.root(), roots.2);
        for (i, r) in receipts.iter().enumerate() {
            r.verify(&keys).unwrap();
            let proof = ReceiptProof {
                receipt: r.clone(),
                proof: tree.inclusion_proof(i).unwrap(),
            };
            proof.verify(&roots.2).unwrap();
        }
        // Every I/O step carries a certificate over its commit root.
        for o in node.runner.outcomes() {
            if let Some(qc) = &o.certificate {
                qc.verify(&keys, 4).unwrap();
                assert_eq!(Some(qc.statement.commit_root), o.commit_root);
            }
        }
        let (back, outcomes) = node.store.load_session(&s.id).unwrap().unwrap();
        assert_eq!(&back, s);
        assert_eq!(outcomes.len(), 3);
    }
    assert_eq!(net.posts.len(), 1, "exactly one member posts");
    let (url, body, qc) = &net.posts[0];
    assert_eq!(url, WRITE_URL);
    assert_eq!(body, expected_body);
    qc.verify(&keys, 4).unwrap();
}

#[test]
fn five_members_read_compute_write_and_finalize() {
    let mut net = Net::new(pipeline());
    net.start();
    // Everyone fetched at once: no timeout was needed.
    assert!(
        net.nodes
            .iter()
            .all(|n| n.runner.session().state == SessionState::Finalized)
    );
    check_finalized(&net, b"43");
    let o = &net.nodes[0].runner.outcomes()[0];
    let mut seen = o.values.clone();
    seen.sort();
    assert_eq!(seen.len(), 5);
    // The write's poster recorded the response hash.
    let leader = net
        .nodes
        .iter()
        .find(|n| n.runner.outcomes()[2].response_hash.is_some());
    assert!(leader.is_some());
}

#[test]
fn a_member_killed_mid_session_does_not_stop_it() {
    for victim in 0..5 {
        let mut net = Net::new(pipeline());
        // Kill the victim once the first step's records are out.
        for i in 0..5 {
            net.event(i, Event::Start);
        }
        net.nodes[victim].alive = false;
        net.run();
        let live: Vec<&Node> = net.live().collect();
        assert_eq!(live.len(), 4);
        // The median of the four values that were committed.
        let committed = &live[0].runner.outcomes()[0].values;
        let median = crate::compute::median(committed).unwrap();
        check_finalized(&net, &median);
    }
}

#[test]
fn an_equivocating_member_is_slashed_everywhere() {
    let mut net = Net::new(pipeline());
    net.equivocators = vec![4];
    net.start();
    net.run();
    let offender = net.id(4);
    for (i, node) in net.nodes.iter().enumerate().take(4) {
        assert!(
            node.evidence.iter().any(|e| e.offender() == offender),
            "node {i} saw no evidence"
        );
        assert_eq!(
            node.registry.get(&offender).unwrap().state,
            NodeState::Slashed
        );
        assert_eq!(node.runner.session().state, SessionState::Finalized);
    }
}

#[test]
fn fewer_than_quorum_alive_fails_cleanly() {
    let mut net = Net::new(pipeline());
    net.nodes[3].alive = false;
    net.nodes[4].alive = false;
    net.start();
    net.run();
    for node in net.live() {
        let s = node.runner.session();
        assert_eq!(s.state, SessionState::Failed);
        let reason = node.failed.as_deref().unwrap();
        assert!(reason.contains("no quorum"), "{reason}");
        assert_eq!(s.error.as_deref(), Some(reason));
        assert_eq!(s.steps[0].retry, config().max_retries);
    }
    assert!(net.posts.is_empty());
}

#[test]
fn a_bad_compute_input_fails_every_member_alike() {
    let mut net = Net::new(pipeline());
    net.values = vec!["a", "b", "c", "d", "e"];
    net.start();
    for node in &net.nodes {
        assert_eq!(node.runner.session().state, SessionState::Failed);
        assert!(node.failed.as_deref().unwrap().contains("median"));
    }
}

#[test]
fn the_whole_committee_restarts_mid_step_and_resumes() {
    let mut net = Net::new(pipeline());
    for i in 0..5 {
        net.event(i, Event::Start);
    }
    // Crash before any record is delivered; reload every runner from its store.
    net.queue.clear();
    let keys: CommitteeKeys = net
        .nodes
        .iter()
        .map(|n| n.identity.public().clone())
        .collect();
    for node in &mut net.nodes {
        let id = node.runner.session().id;
        let (session, outcomes) = node.store.load_session(&id).unwrap().unwrap();
        assert_eq!(session.state, SessionState::WaitingIo);
        node.runner = Runner::new(
            session,
            outcomes,
            &node.identity,
            &keys,
            Functions::builtin(),
            config(),
        )
        .unwrap();
    }
    net.start();
    net.run();
    for node in &net.nodes {
        assert_eq!(node.runner.session().steps[0].retry, 1);
    }
    check_finalized(&net, b"43");
}

#[test]
fn junk_from_peers_and_strangers_is_ignored() {
    let mut net = Net::new(pipeline());
    let stranger = Identity::from_seeds(&[99; 64], &[99; 32]);
    net.event(0, Event::Start);
    let rid = net.nodes[0].runner.session().steps[0].request_id.unwrap();
    let junk = [
        Message::Record(OracleRecord::sign(&stranger, rid, b"1".to_vec()).unwrap()),
        Message::Commit {
            request_id: rid,
            records: Vec::new(),
        },
        Message::Complete(Attestation::sign(
            &stranger,
            Statement {
                domain: Domain::SessionComplete,
                subject_id: hash(b"x"),
                commit_root: hash(b"y"),
                epoch: 1,
            },
        )),
    ];
    let from = net.id(1);
    for m in junk {
        net.event(
            0,
            Event::Message {
                from: node_id(stranger.public()),
                message: Box::new(m.clone()),
            },
        );
        net.event(
            0,
            Event::Message {
                from,
                message: Box::new(m),
            },
        );
    }
    assert_eq!(net.nodes[0].runner.session().state, SessionState::WaitingIo);
    assert!(net.nodes[0].failed.is_none());
    assert!(
        Runner::new(
            net.nodes[0].runner.session().clone(),
            Vec::new(),
            &stranger,
            &CommitteeKeys::new(),
            Functions::builtin(),
            config()
        )
        .is_err()
    );
}

#[test]
fn records_of_the_next_io_step_past_a_compute_step_are_kept() {
    // A fast member finished read and compute and sends its write record
    // while this one still waits in the read step: keep it for later.
    let ids = identities(5);
    let keys: CommitteeKeys = ids.iter().map(|i| i.public().clone()).collect();
    // Member 0 starts `steps` and receives member 1's record for `step`;
    // returns how many messages it kept for later steps.
    let kept_early = |steps: Vec<StepKind>, step: u32, value: &[u8]| {
        let s = session(&ids, steps);
        let mut runner = Runner::new(
            s.clone(),
            Vec::new(),
            &ids[0],
            &keys,
            Functions::builtin(),
            config(),
        )
        .unwrap();
        runner.handle(&ids[0], 0, Event::Start);
        assert_eq!(runner.session().current_step, 0);
        let request = s.request_id(step, 0, &s.tx_id);
        let record = OracleRecord::sign(&ids[1], request, value.to_vec()).unwrap();
        runner.handle(
            &ids[0],
            1,
            Event::Message {
                from: node_id(ids[1].public()),
                message: Box::new(Message::Record(record)),
            },
        );
        runner.early.len()
    };
    assert_eq!(
        kept_early(pipeline(), 2, b"43"),
        1,
        "kept for the write step"
    );
    // Beyond the next I/O step: not kept.
    let mut long = pipeline();
    long.extend(pipeline());
    assert_eq!(kept_early(long, 3, b"41"), 0);
}
