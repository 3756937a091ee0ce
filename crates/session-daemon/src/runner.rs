//! The session runner: one node's state machine for one session.
//!
//! Feed it [`Event`]s (start, local I/O results, committee messages, clock
//! ticks); it advances the [`Session`] step by step and returns [`Action`]s
//! (fetch a URL, post a body, broadcast a message, persist, report evidence,
//! finalized, failed). It never touches a socket or a clock.
//!
//! Per I/O step, the committee member `leader(step, retry)` drives the round:
//! 1. every member obtains its observation (a read fetches the URL; a write's
//!    observation is the body to write), signs an [`OracleRecord`] and
//!    broadcasts it;
//! 2. the leader commits the records once every member sent one, or a quorum
//!    did when the I/O timeout passes, and broadcasts the set
//!    ([`Message::Commit`]);
//! 3. each member checks the set, attests its root and signs a [`Receipt`]
//!    acknowledging the leader's commit ([`Message::Attest`]);
//! 4. at quorum the leader broadcasts the certificate, records and receipts
//!    ([`Message::Certified`]); every member checks them and completes the
//!    step. After a write is certified, the leader posts the body.
//!
//! Compute steps run locally over the previous step's agreed values. After
//! the last step each member attests `session/complete` over
//! `H(output_hash ‖ oracle_root ‖ receipts_root)`; a quorum finalizes.
//! A step that stalls for `stall_ticks` I/O timeouts is retried under the
//! next leader, up to `max_retries` times, and then the session fails.

use std::collections::BTreeMap;

use session_core::{
    Attestation, CommitteeKeys, Domain, EquivocationEvidence, Id, MAX_ORACLE_DATA_LEN, MerkleTree,
    OracleRecord, OracleRequest, QuorumCertificate, Receipt, RequestKind, Session, SessionState,
    Statement, StepKind, hash, node_id, oracle_commit_tree, receipts_tree,
};
use session_crypto::Identity;

use crate::compute::Functions;
use crate::error::{Error, Result};
use crate::evidence::Evidence;
use crate::outcome::StepOutcome;
use crate::round::{Added, OracleRound};
use crate::sigcache::{SigCache, certificate_of};
use crate::write::WriteDocument;

/// Messages buffered for a later round, at most.
const MAX_EARLY: usize = 1024;

/// Timing and retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunnerConfig {
    /// How long the leader waits for every member's record before committing
    /// a quorum, in milliseconds.
    pub io_timeout_ms: u64,
    /// A step with no certificate after this many I/O timeouts is retried.
    pub stall_ticks: u64,
    /// Retries of a step before the session fails.
    pub max_retries: u32,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            io_timeout_ms: 2_000,
            stall_ticks: 3,
            max_retries: 2,
        }
    }
}

/// What the leader sends once a round reached quorum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certified {
    /// The committed records.
    pub records: Vec<OracleRecord>,
    /// The quorum certificate over their root.
    pub certificate: QuorumCertificate,
    /// One receipt per certificate signer.
    pub receipts: Vec<Receipt>,
}

/// A message between committee members about one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A member's oracle record.
    Record(OracleRecord),
    /// The leader's commit.
    Commit {
        /// The oracle request.
        request_id: Id,
        /// The committed records.
        records: Vec<OracleRecord>,
    },
    /// A member's attestation of the commit, with its receipt of it.
    Attest {
        /// The attestation.
        attestation: Attestation,
        /// The receipt.
        receipt: Receipt,
    },
    /// The leader's certified round.
    Certified(Box<Certified>),
    /// A member's `session/complete` attestation.
    Complete(Attestation),
    /// Equivocation evidence.
    Evidence(Box<Evidence>),
}

/// An input to the runner.
#[derive(Debug, Clone)]
pub enum Event {
    /// Start (or resume) the session.
    Start,
    /// This node's fetch for a read step finished.
    Fetched {
        /// The request fetched for.
        request_id: Id,
        /// The body, or why it failed.
        result: std::result::Result<Vec<u8>, String>,
    },
    /// This node's post for a write step finished.
    Posted {
        /// The request posted for.
        request_id: Id,
        /// The response body's hash, or why it failed.
        result: std::result::Result<Id, String>,
    },
    /// A committee member's message (`from` is the transport-authenticated sender).
    Message {
        /// The sender's node ID.
        from: Id,
        /// The message.
        message: Box<Message>,
    },
    /// Time passed (the clock is the `now` given to [`Runner::handle`]).
    Tick,
}

/// What the caller must do.
#[derive(Debug, Clone)]
pub enum Action {
    /// GET `url`; answer with [`Event::Fetched`].
    Fetch {
        /// The request.
        request_id: Id,
        /// What to fetch.
        url: String,
    },
    /// POST the document (value and certificate, as JSON) to `url`; answer
    /// with [`Event::Posted`].
    Post {
        /// The request.
        request_id: Id,
        /// Where.
        url: String,
        /// What: the value with the committee's certificate over the write.
        document: Box<WriteDocument>,
    },
    /// Send to every other committee member.
    Broadcast(Message),
    /// Equivocation found: apply it to the registry and gossip it.
    Evidence(Box<Evidence>),
    /// The session or a step outcome changed: save them.
    Persist,
    /// The session finalized with this `session/complete` certificate.
    Finalized(Box<QuorumCertificate>),
    /// The session failed.
    Failed(String),
}

/// The final attestation phase.
#[derive(Debug, Clone, Default)]
struct Final {
    statement: Option<Statement>,
    roots: Option<(Id, Id, Id)>,
    attestations: BTreeMap<Id, Attestation>,
    certificate: Option<QuorumCertificate>,
}

/// One node's runner for one session.
#[derive(Debug)]
pub struct Runner {
    session: Session,
    outcomes: Vec<StepOutcome>,
    me: Id,
    keys: CommitteeKeys,
    quorum: usize,
    functions: Functions,
    config: RunnerConfig,
    now: u64,
    round: Option<OracleRound>,
    receipts: BTreeMap<Id, Receipt>,
    certified: bool,
    step_started: u64,
    early: Vec<(Id, Message)>,
    last: Final,
    sigs: SigCache,
}

impl Runner {
    /// A runner for `session` (pending, or resumed with the `outcomes` of its
    /// completed steps) on node `identity`, a committee member. `keys` must
    /// hold every member's key.
    pub fn new(
        session: Session,
        outcomes: Vec<StepOutcome>,
        identity: &Identity,
        keys: &CommitteeKeys,
        functions: Functions,
        config: RunnerConfig,
    ) -> Result<Self> {
        let me = node_id(identity.public());
        if !session.committee.contains(&me) {
            return Err(Error::NotMember);
        }
        let keys = keys.restrict_to(&session.committee);
        if keys.len() != session.committee.len() {
            return Err(Error::InvalidInput("a committee member's key is unknown"));
        }
        if outcomes.len() != session.current_step as usize {
            return Err(Error::InvalidInput(
                "outcomes do not match the completed steps",
            ));
        }
        let quorum = session_core::quorum(keys.len());
        Ok(Runner {
            session,
            outcomes,
            me,
            keys,
            quorum,
            functions,
            config,
            now: 0,
            round: None,
            receipts: BTreeMap::new(),
            certified: false,
            step_started: 0,
            early: Vec::new(),
            last: Final::default(),
            sigs: SigCache::new(),
        })
    }

    /// Checks signatures through `sigs` (shared with the node, which may
    /// have checked incoming ones already), so each is verified once.
    pub fn set_signature_cache(&mut self, sigs: SigCache) {
        self.sigs = sigs;
    }

    /// The session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The outcomes of the completed steps.
    pub fn outcomes(&self) -> &[StepOutcome] {
        &self.outcomes
    }

    /// The `session/complete` certificate, once finalized.
    pub fn final_certificate(&self) -> Option<&QuorumCertificate> {
        self.last.certificate.as_ref()
    }

    /// The roots `(output_hash, oracle_root, receipts_root)` once computed.
    pub fn final_roots(&self) -> Option<(Id, Id, Id)> {
        self.last.roots
    }

    /// Every receipt of the session, in receipts-tree order.
    pub fn receipts(&self) -> Vec<Receipt> {
        self.outcomes
            .iter()
            .flat_map(|o| o.receipts.iter().cloned())
            .collect()
    }

    /// The leader of `step` at `retry`.
    pub fn leader(&self, step: u32, retry: u32) -> Id {
        let n = self.session.committee.len() as u64;
        let i = (u64::from(step) + u64::from(retry)) % n.max(1);
        self.session.committee[i as usize]
    }

    fn is_leader(&self) -> bool {
        self.session
            .current()
            .is_some_and(|s| self.leader(s.index, s.retry) == self.me)
    }

    /// Handles one event at time `now` (milliseconds, any monotonic origin).
    pub fn handle(&mut self, identity: &Identity, now: u64, event: Event) -> Vec<Action> {
        self.now = now;
        let mut out = Vec::new();
        if self.session.state.is_terminal() {
            // A write's response may come back after the session ended.
            if let Event::Posted { request_id, result } = event {
                self.on_posted(request_id, result, &mut out);
            }
            return out;
        }
        let r = match event {
            Event::Start => self.start(identity, &mut out),
            Event::Fetched { request_id, result } => {
                self.on_fetched(identity, request_id, result, &mut out)
            }
            Event::Posted { request_id, result } => {
                self.on_posted(request_id, result, &mut out);
                Ok(())
            }
            Event::Message { from, message } => {
                // Peer input never fails the session: a bad message is dropped.
                let _ = self.on_message(identity, from, *message, &mut out);
                Ok(())
            }
            Event::Tick => self.on_tick(identity, &mut out),
        };
        if let Err(e) = r {
            self.fail(&e.to_string(), &mut out);
        }
        out
    }

    fn fail(&mut self, reason: &str, out: &mut Vec<Action>) {
        if self.session.fail(reason).is_ok() {
            self.round = None;
            out.push(Action::Persist);
            out.push(Action::Failed(reason.to_owned()));
        }
    }

    fn start(&mut self, identity: &Identity, out: &mut Vec<Action>) -> Result<()> {
        match self.session.state {
            SessionState::Pending => {
                self.session.start()?;
                out.push(Action::Persist);
                self.advance(identity, out)
            }
            // Resumed mid-step: the round's messages are gone, so retry it.
            SessionState::WaitingIo => {
                if self.round.is_none() {
                    self.session.retry_step()?;
                    out.push(Action::Persist);
                    self.open_round(identity, out)?;
                }
                Ok(())
            }
            SessionState::Running => self.advance(identity, out),
            SessionState::Finalized | SessionState::Failed => Ok(()),
        }
    }

    /// Runs compute steps and opens the next I/O round or the final phase.
    /// What goes wrong here (a compute function rejecting its inputs, a write
    /// without a body) fails the session on every member alike.
    fn advance(&mut self, identity: &Identity, out: &mut Vec<Action>) -> Result<()> {
        if let Err(e) = self.advance_inner(identity, out) {
            self.fail(&e.to_string(), out);
        }
        Ok(())
    }

    fn advance_inner(&mut self, identity: &Identity, out: &mut Vec<Action>) -> Result<()> {
        loop {
            let Some(step) = self.session.current().cloned() else {
                return self.begin_final(identity, out);
            };
            self.session.begin_step()?;
            match &step.kind {
                StepKind::Compute { function, args } => {
                    let inputs = self.outcomes.last().map_or(&[][..], |o| &o.values[..]);
                    let value = self.functions.run(function, inputs, args)?;
                    let outcome = StepOutcome {
                        values: vec![value],
                        commit_root: None,
                        certificate: None,
                        receipts: Vec::new(),
                        response_hash: None,
                    };
                    self.session
                        .complete_step(outcome.output_hash(), None, None)?;
                    self.outcomes.push(outcome);
                    out.push(Action::Persist);
                }
                StepKind::ReadExternal { .. } | StepKind::WriteExternal { .. } => {
                    out.push(Action::Persist);
                    return self.open_round(identity, out);
                }
            }
        }
    }

    /// The body a write step posts: its payload, or else the previous step's
    /// single value.
    fn write_body(&self, payload: &[u8]) -> Result<Vec<u8>> {
        if !payload.is_empty() {
            return Ok(payload.to_vec());
        }
        match self.outcomes.last().map(|o| o.values.as_slice()) {
            Some([value]) => Ok(value.clone()),
            _ => Err(Error::InvalidInput(
                "write_external needs a payload or one previous value",
            )),
        }
    }

    fn current_request(&self) -> Result<(OracleRequest, StepKind)> {
        let step = self
            .session
            .current()
            .ok_or(Error::InvalidInput("no current step"))?;
        let kind = match step.kind {
            StepKind::WriteExternal { .. } => RequestKind::Write,
            StepKind::ReadExternal { .. } => RequestKind::Read,
            StepKind::Compute { .. } => return Err(Error::InvalidInput("not an I/O step")),
        };
        Ok((
            OracleRequest {
                service_id: self.session.service_id,
                session_id: self.session.id,
                step: step.index,
                retry: step.retry,
                tx_id: step.tx_id,
                kind,
                input_hash: step.input_hash,
            },
            step.kind.clone(),
        ))
    }

    fn open_round(&mut self, identity: &Identity, out: &mut Vec<Action>) -> Result<()> {
        let (request, kind) = self.current_request()?;
        self.round = Some(
            OracleRound::new(request, self.session.epoch, self.keys.clone(), self.quorum)?
                .with_signature_cache(self.sigs.clone()),
        );
        self.receipts.clear();
        self.certified = false;
        self.step_started = self.now;
        match kind {
            StepKind::ReadExternal { url } => out.push(Action::Fetch {
                request_id: request.id(),
                url,
            }),
            StepKind::WriteExternal { payload, .. } => {
                let body = self.write_body(&payload)?;
                self.submit_record(identity, request.id(), body, out)?;
            }
            StepKind::Compute { .. } => {}
        }
        // Replay what arrived early for this round.
        let early = std::mem::take(&mut self.early);
        for (from, message) in early {
            let _ = self.on_message(identity, from, message, out);
        }
        Ok(())
    }

    fn round_id(&self) -> Option<Id> {
        self.round.as_ref().map(OracleRound::request_id)
    }

    fn submit_record(
        &mut self,
        identity: &Identity,
        request_id: Id,
        data: Vec<u8>,
        out: &mut Vec<Action>,
    ) -> Result<()> {
        let record = OracleRecord::sign(identity, request_id, data)?;
        out.push(Action::Broadcast(Message::Record(record.clone())));
        self.on_record(identity, record, out)
    }

    fn on_fetched(
        &mut self,
        identity: &Identity,
        request_id: Id,
        result: std::result::Result<Vec<u8>, String>,
        out: &mut Vec<Action>,
    ) -> Result<()> {
        if self.round_id() != Some(request_id) {
            return Ok(());
        }
        // A failed or oversized fetch contributes no record; the others may
        // still reach a quorum.
        match result {
            Ok(body) if body.len() <= MAX_ORACLE_DATA_LEN => {
                self.submit_record(identity, request_id, body, out)
            }
            _ => Ok(()),
        }
    }

    fn on_posted(
        &mut self,
        request_id: Id,
        result: std::result::Result<Id, String>,
        out: &mut Vec<Action>,
    ) {
        let Ok(response_hash) = result else {
            return;
        };
        let step = self
            .session
            .steps
            .iter()
            .position(|s| s.request_id == Some(request_id));
        if let Some(outcome) = step.and_then(|i| self.outcomes.get_mut(i)) {
            outcome.response_hash = Some(response_hash);
            out.push(Action::Persist);
        }
    }

    fn on_message(
        &mut self,
        identity: &Identity,
        from: Id,
        message: Message,
        out: &mut Vec<Action>,
    ) -> Result<()> {
        if !self.keys.contains(&from) {
            return Ok(());
        }
        let current = self.round_id();
        match message {
            Message::Complete(a) => self.on_complete(a, out),
            Message::Evidence(e) => {
                if e.verify(&self.keys).is_ok() {
                    out.push(Action::Evidence(e));
                }
                Ok(())
            }
            Message::Record(record) if Some(record.request_id) == current => {
                self.on_record(identity, record, out)
            }
            Message::Commit {
                request_id,
                records,
            } if Some(request_id) == current => self.on_commit(identity, from, records, out),
            Message::Attest {
                attestation,
                receipt,
            } if Some(attestation.statement.subject_id) == current => {
                self.on_attest(identity, attestation, receipt, out)
            }
            Message::Certified(c) if self.round.is_some() && self.is_current_step(&c) => {
                self.on_certified(identity, *c, out)
            }
            other => {
                if self.is_upcoming(&other) && self.early.len() < MAX_EARLY {
                    self.early.push((from, other));
                }
                Ok(())
            }
        }
    }

    /// Whether `c` certifies the current step at its current or an earlier retry.
    fn is_current_step(&self, c: &Certified) -> bool {
        let subject = c.certificate.statement.subject_id;
        self.session.current().is_some_and(|step| {
            (0..=step.retry).any(|r| self.session.request_id(step.index, r, &step.tx_id) == subject)
        })
    }

    /// Whether `message` belongs to a later retry of the current step or to
    /// the next I/O step (past any compute steps in between, which faster
    /// members run at once): worth keeping until that round opens.
    fn is_upcoming(&self, message: &Message) -> bool {
        let id = match message {
            Message::Record(r) => r.request_id,
            Message::Commit { request_id, .. } => *request_id,
            Message::Attest { attestation, .. } => attestation.statement.subject_id,
            Message::Certified(c) => c.certificate.statement.subject_id,
            Message::Complete(_) | Message::Evidence(_) => return false,
        };
        let index = self.session.current_step;
        let retry = self.session.current().map_or(0, |s| s.retry);
        let later = |step: u32, from: u32| {
            self.session.steps.get(step as usize).is_some_and(|s| {
                (from..=self.config.max_retries)
                    .any(|r| self.session.request_id(step, r, &s.tx_id) == id)
            })
        };
        let this_step = if self.round.is_some() {
            retry + 1
        } else {
            retry
        };
        if later(index, this_step) {
            return true;
        }
        for step in index.saturating_add(1)..self.session.steps.len() as u32 {
            if later(step, 0) {
                return true;
            }
            let io = self
                .session
                .steps
                .get(step as usize)
                .is_some_and(|s| !matches!(s.kind, StepKind::Compute { .. }));
            if io {
                break;
            }
        }
        false
    }

    fn report(&mut self, added: Added, out: &mut Vec<Action>) {
        if let Added::Equivocation(e) = added {
            out.push(Action::Broadcast(Message::Evidence(e.clone())));
            out.push(Action::Evidence(e));
        }
    }

    fn on_record(
        &mut self,
        identity: &Identity,
        record: OracleRecord,
        out: &mut Vec<Action>,
    ) -> Result<()> {
        let round = self.round.as_mut().ok_or(Error::WrongRequest)?;
        let added = round.add_record(record)?;
        let all_in = round.record_count() == self.keys.len() && round.can_commit();
        self.report(added, out);
        if all_in && self.is_leader() {
            self.leader_commit(identity, out)?;
        }
        Ok(())
    }

    fn leader_commit(&mut self, identity: &Identity, out: &mut Vec<Action>) -> Result<()> {
        let round = self.round.as_mut().ok_or(Error::WrongRequest)?;
        round.commit()?;
        let records = round
            .committed_records()
            .map(<[OracleRecord]>::to_vec)
            .unwrap_or_default();
        let request_id = round.request_id();
        out.push(Action::Broadcast(Message::Commit {
            request_id,
            records: records.clone(),
        }));
        self.on_commit(identity, self.me, records, out)
    }

    fn on_commit(
        &mut self,
        identity: &Identity,
        from: Id,
        records: Vec<OracleRecord>,
        out: &mut Vec<Action>,
    ) -> Result<()> {
        let (index, retry) = match self.session.current() {
            Some(s) => (s.index, s.retry),
            None => return Ok(()),
        };
        if from != self.leader(index, retry) {
            return Err(Error::InvalidInput("commit from a non-leader"));
        }
        let round = self.round.as_mut().ok_or(Error::WrongRequest)?;
        let root = round.accept_commit(records)?;
        let statement = round.statement().ok_or(Error::WrongRequest)?;
        let attestation = Attestation::sign(identity, statement);
        let receipt = Receipt::sign(identity, self.session.id, index, root, from);
        out.push(Action::Broadcast(Message::Attest {
            attestation: attestation.clone(),
            receipt: receipt.clone(),
        }));
        self.on_attest(identity, attestation, receipt, out)
    }

    fn on_attest(
        &mut self,
        identity: &Identity,
        attestation: Attestation,
        receipt: Receipt,
        out: &mut Vec<Action>,
    ) -> Result<()> {
        let round = self.round.as_mut().ok_or(Error::WrongRequest)?;
        let signer = attestation.signer;
        let added = round.add_attestation(attestation)?;
        let fresh = added == Added::New;
        self.report(added, out);
        if fresh
            && receipt.receiver == signer
            && receipt.session_id == self.session.id
            && self.sigs.receipt(&receipt, &self.keys).is_ok()
        {
            self.receipts.insert(signer, receipt);
        }
        self.maybe_certify(identity, out)
    }

    fn maybe_certify(&mut self, identity: &Identity, out: &mut Vec<Action>) -> Result<()> {
        if self.certified || !self.is_leader() {
            return Ok(());
        }
        let Some(round) = self.round.as_ref() else {
            return Ok(());
        };
        let (Some(root), Ok(certificate)) = (round.commit_root(), round.certificate()) else {
            return Ok(());
        };
        let step = round.request().step;
        let leader = self.me;
        let receipts: Vec<Receipt> = certificate
            .signers()
            .filter_map(|s| self.receipts.get(s))
            .filter(|r| r.message_hash == root && r.step == step && r.sender == leader)
            .cloned()
            .collect();
        if receipts.len() != certificate.signatures.len() {
            return Ok(());
        }
        let certified = Certified {
            records: round
                .committed_records()
                .map(<[OracleRecord]>::to_vec)
                .unwrap_or_default(),
            certificate,
            receipts,
        };
        self.certified = true;
        out.push(Action::Broadcast(Message::Certified(Box::new(
            certified.clone(),
        ))));
        // The leader does not receive its own broadcast: complete here.
        self.complete_io(certified, out)?;
        self.advance(identity, out)
    }

    /// Checks a certified round for the current step (at its current or an
    /// earlier retry) and completes the step.
    fn on_certified(
        &mut self,
        identity: &Identity,
        c: Certified,
        out: &mut Vec<Action>,
    ) -> Result<()> {
        let step = self.session.current().cloned().ok_or(Error::WrongRequest)?;
        let subject = c.certificate.statement.subject_id;
        let retry = (0..=step.retry)
            .find(|r| self.session.request_id(step.index, *r, &step.tx_id) == subject)
            .ok_or(Error::WrongRequest)?;
        if c.records.len() > self.keys.len() || c.records.iter().any(|r| r.request_id != subject) {
            return Err(Error::InvalidCommit("records of another request"));
        }
        for r in &c.records {
            self.sigs.record(r, &self.keys)?;
        }
        let root = oracle_commit_tree(&c.records).root();
        let (request, _) = self.current_request()?;
        let request = OracleRequest { retry, ..request };
        if c.certificate.statement != request.statement(root, self.session.epoch) {
            return Err(Error::InvalidCommit(
                "certificate does not match the records",
            ));
        }
        self.sigs
            .certificate(&c.certificate, &self.keys, self.quorum)?;
        let leader = self.leader(step.index, retry);
        let signers: Vec<&Id> = c.certificate.signers().collect();
        if c.receipts.len() != signers.len() {
            return Err(Error::InvalidCommit("one receipt per signer"));
        }
        for (receipt, signer) in c.receipts.iter().zip(signers) {
            if receipt.receiver != *signer
                || receipt.sender != leader
                || receipt.session_id != self.session.id
                || receipt.step != step.index
                || receipt.message_hash != root
            {
                return Err(Error::InvalidCommit("receipt does not match"));
            }
            self.sigs.receipt(receipt, &self.keys)?;
        }
        self.complete_io(c, out)?;
        self.advance(identity, out)
    }

    fn complete_io(&mut self, c: Certified, out: &mut Vec<Action>) -> Result<()> {
        let (request, kind) = self.current_request()?;
        let mut records = c.records;
        records.sort_by_key(OracleRecord::id);
        let root = oracle_commit_tree(&records).root();
        let submitters: Vec<Id> = records.iter().map(|r| r.submitter).collect();
        let values = match &kind {
            StepKind::WriteExternal { payload, .. } => vec![self.write_body(payload)?],
            _ => records.into_iter().map(|r| r.data).collect(),
        };
        let outcome = StepOutcome {
            values,
            commit_root: Some(root),
            certificate: Some(c.certificate.clone()),
            receipts: c.receipts,
            response_hash: None,
        };
        let request_id = c.certificate.statement.subject_id;
        self.session.complete_step(
            outcome.output_hash(),
            Some(root),
            Some(c.certificate.statement.id()),
        )?;
        if let StepKind::WriteExternal { url, .. } = kind
            && self.leader_of_request(request_id)
        {
            out.push(Action::Post {
                request_id,
                url,
                document: Box::new(WriteDocument {
                    session_id: request.session_id,
                    step: request.step,
                    service_id: request.service_id,
                    tx_id: request.tx_id,
                    retry: request.retry,
                    value: outcome.values[0].clone(),
                    submitters,
                    certificate: c.certificate,
                }),
            });
        }
        self.outcomes.push(outcome);
        self.round = None;
        out.push(Action::Persist);
        Ok(())
    }

    fn leader_of_request(&self, request_id: Id) -> bool {
        self.session
            .steps
            .iter()
            .any(|s| s.request_id == Some(request_id) && self.leader(s.index, s.retry) == self.me)
    }

    fn begin_final(&mut self, identity: &Identity, out: &mut Vec<Action>) -> Result<()> {
        if self.last.statement.is_some() {
            return Ok(());
        }
        let output_hash = self
            .outcomes
            .last()
            .map_or_else(|| hash(b""), StepOutcome::output_hash);
        let oracle_root = MerkleTree::from_leaves(
            self.outcomes
                .iter()
                .filter_map(|o| o.commit_root)
                .map(|r| r.to_bytes()),
        )
        .root();
        let receipts_root = receipts_tree(&self.receipts()).root();
        let mut joined = Vec::with_capacity(96);
        for id in [output_hash, oracle_root, receipts_root] {
            joined.extend_from_slice(id.as_bytes());
        }
        let statement = Statement {
            domain: Domain::SessionComplete,
            subject_id: self.session.id,
            commit_root: hash(&joined),
            epoch: self.session.epoch,
        };
        self.last.statement = Some(statement);
        self.last.roots = Some((output_hash, oracle_root, receipts_root));
        self.step_started = self.now;
        let attestation = Attestation::sign(identity, statement);
        out.push(Action::Broadcast(Message::Complete(attestation.clone())));
        self.on_complete(attestation, out)
    }

    fn on_complete(&mut self, a: Attestation, out: &mut Vec<Action>) -> Result<()> {
        let s = &a.statement;
        if s.domain != Domain::SessionComplete
            || s.subject_id != self.session.id
            || s.epoch != self.session.epoch
        {
            return Err(Error::WrongRequest);
        }
        self.sigs.attestation(&a, &self.keys)?;
        if let Some(held) = self.last.attestations.get(&a.signer) {
            if let Some(e) = EquivocationEvidence::detect(held, &a) {
                self.report(Added::Equivocation(Box::new(Evidence::Attestation(e))), out);
            }
            return Ok(());
        }
        self.last.attestations.insert(a.signer, a);
        let (Some(statement), Some((o, r, c))) = (self.last.statement, self.last.roots) else {
            return Ok(());
        };
        // Every held attestation was checked when it arrived.
        if self.last.certificate.is_some() {
            return Ok(());
        }
        if let Ok(qc) = certificate_of(statement, self.last.attestations.values(), self.quorum) {
            self.session.finalize(o, r, c)?;
            self.last.certificate = Some(qc.clone());
            out.push(Action::Persist);
            out.push(Action::Finalized(Box::new(qc)));
        }
        Ok(())
    }

    fn on_tick(&mut self, identity: &Identity, out: &mut Vec<Action>) -> Result<()> {
        let waited = self.now.saturating_sub(self.step_started);
        let timeout = self.config.io_timeout_ms;
        if let Some(round) = &self.round
            && self.is_leader()
            && round.can_commit()
            && waited >= timeout
        {
            return self.leader_commit(identity, out);
        }
        if waited < timeout.saturating_mul(self.config.stall_ticks) {
            return Ok(());
        }
        if self.round.is_some() {
            let retry = self.session.current().map_or(0, |s| s.retry);
            if retry < self.config.max_retries {
                self.session.retry_step()?;
                out.push(Action::Persist);
                return self.open_round(identity, out);
            }
            let (records, attestations) = self
                .round
                .as_ref()
                .map_or((0, 0), |r| (r.record_count(), r.attestation_count()));
            let reason = format!(
                "step {} reached no quorum: {records} records, {attestations} attestations, {} needed",
                self.session.current_step, self.quorum
            );
            self.fail(&reason, out);
        } else if self.last.statement.is_some() {
            let have = self.last.attestations.len();
            let reason = format!(
                "session/complete reached no quorum: {have} of {} attestations",
                self.quorum
            );
            self.fail(&reason, out);
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "runner_tests.rs"]
mod tests;
