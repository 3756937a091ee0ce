//! The session state machine shared by SessionVM and sessiond.
//!
//! ```text
//! pending ──► running ──► waiting_io ──► running ──► … ──► finalized
//!    │           │             │
//!    └───────────┴─────────────┴──────► failed
//! ```

use core::fmt;
use std::collections::BTreeSet;

use crate::codec::{Decode, Encode, Reader, Versioned, Writer};
use crate::committee::MAX_COMMITTEE_SIZE;
use crate::error::{Error, Result};
use crate::hash::{oracle_request_id, session_id};
use crate::id::Id;
use crate::step::{Step, StepKind, StepState};

/// Most steps one session may hold.
pub const MAX_STEPS: usize = 1024;
/// Longest failure reason kept, in bytes (longer reasons are truncated).
pub const MAX_ERROR_LEN: usize = 1024;

/// Where a session is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SessionState {
    /// Created, not started.
    Pending,
    /// Executing steps.
    Running,
    /// Blocked on an oracle read or write.
    WaitingIo,
    /// Completed; output, oracle and receipts roots are set.
    Finalized,
    /// Failed.
    Failed,
}

impl SessionState {
    /// `pending`, `running`, `waiting_io`, `finalized` or `failed`.
    pub fn name(self) -> &'static str {
        match self {
            SessionState::Pending => "pending",
            SessionState::Running => "running",
            SessionState::WaitingIo => "waiting_io",
            SessionState::Finalized => "finalized",
            SessionState::Failed => "failed",
        }
    }

    /// Whether no transition leaves this state.
    pub fn is_terminal(self) -> bool {
        matches!(self, SessionState::Finalized | SessionState::Failed)
    }

    /// Whether `self → to` is a legal transition.
    pub fn can_transition_to(self, to: SessionState) -> bool {
        use SessionState::*;
        matches!(
            (self, to),
            (Pending, Running)
                | (Pending, Failed)
                | (Running, WaitingIo)
                | (Running, Finalized)
                | (Running, Failed)
                | (WaitingIo, Running)
                | (WaitingIo, Failed)
        )
    }

    /// The state after `self → to`, or [`Error::IllegalTransition`].
    pub fn transition(self, to: SessionState) -> Result<SessionState> {
        if self.can_transition_to(to) {
            Ok(to)
        } else {
            Err(Error::IllegalTransition {
                from: self.name(),
                to: to.name(),
            })
        }
    }

    fn tag(self) -> u8 {
        self as u8
    }

    fn from_tag(tag: u8) -> Result<Self> {
        Ok(match tag {
            0 => SessionState::Pending,
            1 => SessionState::Running,
            2 => SessionState::WaitingIo,
            3 => SessionState::Finalized,
            4 => SessionState::Failed,
            tag => {
                return Err(Error::InvalidTag {
                    field: "session state",
                    tag,
                });
            }
        })
    }
}

impl fmt::Display for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A private, committee-executed, multi-step session.
///
/// Fields are public for reading and for building test fixtures; change a
/// live session only through its methods ([`Session::start`],
/// [`Session::begin_step`], [`Session::complete_step`], [`Session::finalize`],
/// [`Session::fail`]): they follow the state graph of
/// [`SessionState::transition`] and keep the steps consistent with it.
/// Decoding re-checks every invariant (see [`Session::validate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// `H("LUX:Session:v1" ‖ service_id ‖ epoch ‖ tx_id)`; not encoded, recomputed.
    pub id: Id,
    /// The service being executed.
    pub service_id: Id,
    /// Epoch the session was created in.
    pub epoch: u64,
    /// The transaction that created the session.
    pub tx_id: Id,
    /// The committee executing it (node IDs, distinct).
    pub committee: Vec<Id>,
    /// Current state.
    pub state: SessionState,
    /// Index of the next step to run (equals `steps.len()` when all are done).
    pub current_step: u32,
    /// The steps, `steps[i].index == i`.
    pub steps: Vec<Step>,
    /// Final output hash (finalized sessions).
    pub output_hash: Option<Id>,
    /// Merkle root of all oracle observations (finalized sessions).
    pub oracle_root: Option<Id>,
    /// Merkle root of all relay receipts (finalized sessions).
    pub receipts_root: Option<Id>,
    /// Why the session failed (failed sessions).
    pub error: Option<String>,
}

impl Session {
    /// A new pending session with no steps.
    pub fn new(service_id: Id, epoch: u64, tx_id: Id, committee: Vec<Id>) -> Result<Self> {
        let session = Session {
            id: session_id(&service_id, epoch, &tx_id),
            service_id,
            epoch,
            tx_id,
            committee,
            state: SessionState::Pending,
            current_step: 0,
            steps: Vec::new(),
            output_hash: None,
            oracle_root: None,
            receipts_root: None,
            error: None,
        };
        session.validate()?;
        Ok(session)
    }

    /// Moves along a legal edge of the state graph. Private: the public
    /// methods also keep the steps consistent with the state.
    fn set_state(&mut self, to: SessionState) -> Result<()> {
        self.state = self.state.transition(to)?;
        Ok(())
    }

    /// `pending → running`.
    pub fn start(&mut self) -> Result<()> {
        if self.state != SessionState::Pending {
            return Err(Error::IllegalTransition {
                from: self.state.name(),
                to: SessionState::Running.name(),
            });
        }
        self.set_state(SessionState::Running)
    }

    /// The oracle request ID of step `index` at retry `retry`.
    pub fn request_id(&self, index: u32, retry: u32, tx_id: &Id) -> Id {
        oracle_request_id(&self.service_id, &self.id, index, retry, tx_id)
    }

    /// Appends a pending step; returns its index.
    pub fn add_step(&mut self, kind: StepKind, tx_id: Id, input_hash: Id) -> Result<u32> {
        if self.state.is_terminal() {
            return Err(Error::InvalidSession("session is over"));
        }
        if self.steps.len() >= MAX_STEPS {
            return Err(Error::InvalidSession("too many steps"));
        }
        let index = u32::try_from(self.steps.len()).expect("MAX_STEPS fits in u32");
        let request_id = kind
            .requires_oracle()
            .then(|| self.request_id(index, 0, &tx_id));
        self.steps.push(Step {
            index,
            kind,
            tx_id,
            input_hash,
            retry: 0,
            request_id,
            state: StepState::Pending,
            output_hash: None,
            oracle_commit_root: None,
            attestation_id: None,
        });
        Ok(index)
    }

    /// The step at `current_step`, if any remain.
    pub fn current(&self) -> Option<&Step> {
        self.steps.get(self.current_step as usize)
    }

    fn current_mut(&mut self) -> Result<&mut Step> {
        self.steps
            .get_mut(self.current_step as usize)
            .ok_or(Error::InvalidSession("no current step"))
    }

    /// Starts the current step. A compute step becomes `executing`; an I/O step
    /// becomes `waiting` and the session `waiting_io`. Returns the oracle
    /// request ID for I/O steps.
    pub fn begin_step(&mut self) -> Result<Option<Id>> {
        if self.state != SessionState::Running {
            return Err(Error::InvalidSession("session is not running"));
        }
        let step = self.current_mut()?;
        if step.state != StepState::Pending {
            return Err(Error::InvalidSession("current step already started"));
        }
        if step.kind.requires_oracle() {
            step.state = StepState::Waiting;
            let request = step.request_id;
            self.set_state(SessionState::WaitingIo)?;
            Ok(request)
        } else {
            step.state = StepState::Executing;
            Ok(None)
        }
    }

    /// Retries the current I/O step's oracle request: bumps its retry counter
    /// and returns the new request ID.
    pub fn retry_step(&mut self) -> Result<Id> {
        if self.state != SessionState::WaitingIo {
            return Err(Error::InvalidSession("session is not waiting for I/O"));
        }
        let (service_id, session_id) = (self.service_id, self.id);
        let step = self.current_mut()?;
        let retry = step
            .retry
            .checked_add(1)
            .ok_or(Error::InvalidSession("retry counter exhausted"))?;
        let id = oracle_request_id(&service_id, &session_id, step.index, retry, &step.tx_id);
        step.retry = retry;
        step.request_id = Some(id);
        Ok(id)
    }

    /// Completes the current step. I/O steps need the oracle commit root and
    /// the attestation ID; compute steps must not have them.
    pub fn complete_step(
        &mut self,
        output_hash: Id,
        oracle_commit_root: Option<Id>,
        attestation_id: Option<Id>,
    ) -> Result<()> {
        let waiting = self.state == SessionState::WaitingIo;
        if !waiting && self.state != SessionState::Running {
            return Err(Error::InvalidSession("session is not running"));
        }
        let step = self.current_mut()?;
        if step.kind.requires_oracle() {
            if !waiting || step.state != StepState::Waiting {
                return Err(Error::InvalidSession("I/O step is not waiting"));
            }
            if oracle_commit_root.is_none() || attestation_id.is_none() {
                return Err(Error::InvalidSession(
                    "I/O step needs a commit root and attestation",
                ));
            }
        } else if waiting || step.state != StepState::Executing {
            return Err(Error::InvalidSession("compute step is not executing"));
        } else if oracle_commit_root.is_some() || attestation_id.is_some() {
            return Err(Error::InvalidSession(
                "compute steps carry no oracle commit",
            ));
        }
        step.state = StepState::Completed;
        step.output_hash = Some(output_hash);
        step.oracle_commit_root = oracle_commit_root;
        step.attestation_id = attestation_id;
        if waiting {
            self.set_state(SessionState::Running)?;
        }
        self.current_step += 1;
        Ok(())
    }

    /// `running → finalized` once every step is completed.
    pub fn finalize(&mut self, output_hash: Id, oracle_root: Id, receipts_root: Id) -> Result<()> {
        if self.state != SessionState::Running {
            return Err(Error::IllegalTransition {
                from: self.state.name(),
                to: SessionState::Finalized.name(),
            });
        }
        if self.current_step as usize != self.steps.len() {
            return Err(Error::InvalidSession("steps remain"));
        }
        self.set_state(SessionState::Finalized)?;
        self.output_hash = Some(output_hash);
        self.oracle_root = Some(oracle_root);
        self.receipts_root = Some(receipts_root);
        Ok(())
    }

    /// Moves to `failed` (from any live state), failing the current step if it
    /// had started. The reason is truncated to [`MAX_ERROR_LEN`] bytes.
    pub fn fail(&mut self, reason: &str) -> Result<()> {
        self.set_state(SessionState::Failed)?;
        if let Ok(step) = self.current_mut()
            && matches!(step.state, StepState::Executing | StepState::Waiting)
        {
            step.state = StepState::Failed;
        }
        let mut end = reason.len().min(MAX_ERROR_LEN);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        self.error = Some(reason[..end].to_owned());
        Ok(())
    }

    /// Checks every structural invariant; decoding calls this.
    pub fn validate(&self) -> Result<()> {
        let bad = |why| Err(Error::InvalidSession(why));
        if self.id != session_id(&self.service_id, self.epoch, &self.tx_id) {
            return bad("session id does not match its fields");
        }
        if self.committee.len() > MAX_COMMITTEE_SIZE {
            return bad("committee too large");
        }
        let distinct: BTreeSet<&Id> = self.committee.iter().collect();
        if distinct.len() != self.committee.len() {
            return bad("duplicate committee member");
        }
        if self.steps.len() > MAX_STEPS || self.current_step as usize > self.steps.len() {
            return bad("current step out of range");
        }
        for (i, step) in self.steps.iter().enumerate() {
            if step.index as usize != i {
                return bad("step index out of order");
            }
            let want = step
                .kind
                .requires_oracle()
                .then(|| self.request_id(step.index, step.retry, &step.tx_id));
            if step.request_id != want {
                return bad("step request id does not match its fields");
            }
            let current = self.current_step as usize;
            let ok = match i.cmp(&current) {
                core::cmp::Ordering::Less => step.state == StepState::Completed,
                core::cmp::Ordering::Greater => step.state == StepState::Pending,
                core::cmp::Ordering::Equal => match step.state {
                    StepState::Pending => self.state != SessionState::WaitingIo,
                    StepState::Executing => self.state == SessionState::Running,
                    StepState::Waiting => self.state == SessionState::WaitingIo,
                    StepState::Failed => self.state == SessionState::Failed,
                    StepState::Completed => false,
                },
            };
            if !ok {
                return bad("step states do not match the session's progress");
            }
            let io_fields = step.oracle_commit_root.is_some() || step.attestation_id.is_some();
            if step.output_hash.is_some() != (step.state == StepState::Completed)
                || (io_fields
                    && (!step.kind.requires_oracle() || step.state != StepState::Completed))
            {
                return bad("step results are set exactly when completed");
            }
            if step.kind.requires_oracle()
                && step.state == StepState::Completed
                && (step.oracle_commit_root.is_none() || step.attestation_id.is_none())
            {
                return bad("a completed I/O step has its commit root and attestation");
            }
        }
        if self.state == SessionState::WaitingIo
            && self.current().is_none_or(|s| s.state != StepState::Waiting)
        {
            return bad("waiting for I/O without a waiting step");
        }
        if self.state == SessionState::Pending && self.current_step != 0 {
            return bad("a pending session has run no step");
        }
        if self.error.as_ref().is_some_and(|e| e.len() > MAX_ERROR_LEN) {
            return bad("error too long");
        }
        if self.error.is_some() != (self.state == SessionState::Failed) {
            return bad("an error is set exactly when failed");
        }
        let finalized = self.state == SessionState::Finalized;
        let roots = [self.output_hash, self.oracle_root, self.receipts_root];
        if roots.iter().any(|r| r.is_some() != finalized) {
            return bad("roots are set exactly when finalized");
        }
        if finalized && self.current_step as usize != self.steps.len() {
            return bad("finalized with steps remaining");
        }
        Ok(())
    }
}

impl Encode for Session {
    fn encode_to(&self, w: &mut Writer) {
        w.id(&self.service_id);
        w.u64(self.epoch);
        w.id(&self.tx_id);
        w.seq(&self.committee);
        w.u8(self.state.tag());
        w.u32(self.current_step);
        w.seq(&self.steps);
        w.option(self.output_hash.as_ref());
        w.option(self.oracle_root.as_ref());
        w.option(self.receipts_root.as_ref());
        match &self.error {
            None => w.u8(0),
            Some(e) => {
                w.u8(1);
                w.str(e);
            }
        }
    }
}

impl Decode for Session {
    const MIN_ENCODED_LEN: usize = 32 + 8 + 32 + 4 + 1 + 4 + 4 + 4;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        let service_id = r.id()?;
        let epoch = r.u64()?;
        let tx_id = r.id()?;
        let session = Session {
            id: session_id(&service_id, epoch, &tx_id),
            service_id,
            epoch,
            tx_id,
            committee: r.seq(MAX_COMMITTEE_SIZE, "committee")?,
            state: SessionState::from_tag(r.u8()?)?,
            current_step: r.u32()?,
            steps: r.seq(MAX_STEPS, "steps")?,
            output_hash: r.option("output hash")?,
            oracle_root: r.option("oracle root")?,
            receipts_root: r.option("receipts root")?,
            error: if r.bool("error")? {
                Some(r.string(MAX_ERROR_LEN, "error")?)
            } else {
                None
            },
        };
        session.validate()?;
        Ok(session)
    }
}

impl Versioned for Session {
    const NAME: &'static str = "Session";
    const VERSION: u8 = 1;
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
