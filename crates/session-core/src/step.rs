//! Session steps: what a step does ([`StepKind`]) and where it is ([`StepState`]).

use core::fmt;

use crate::codec::{Decode, Encode, Reader, Versioned, Writer};
use crate::error::{Error, Result};
use crate::id::Id;

/// Longest URL a `read_external` / `write_external` step may carry, in bytes.
pub const MAX_URL_LEN: usize = 2048;
/// Longest compute function name, in bytes.
pub const MAX_FUNCTION_LEN: usize = 256;
/// Largest compute argument blob, in bytes.
pub const MAX_ARGS_LEN: usize = 64 * 1024;
/// Largest `write_external` payload, in bytes.
pub const MAX_WRITE_PAYLOAD_LEN: usize = 256 * 1024;

/// What a step does, with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// Internal computation, no external I/O: call `function` with `args`
    /// (an opaque blob the executor interprets).
    Compute {
        /// The function to run.
        function: String,
        /// Its arguments, opaque to the protocol.
        args: Vec<u8>,
    },
    /// An external write through the oracle (`oracle/write` domain).
    WriteExternal {
        /// Where to write.
        url: String,
        /// What to write.
        payload: Vec<u8>,
    },
    /// An external read through the oracle (`oracle/read` domain).
    ReadExternal {
        /// Where to read from.
        url: String,
    },
}

impl StepKind {
    /// `compute`, `write_external` or `read_external`.
    pub fn name(&self) -> &'static str {
        match self {
            StepKind::Compute { .. } => "compute",
            StepKind::WriteExternal { .. } => "write_external",
            StepKind::ReadExternal { .. } => "read_external",
        }
    }

    /// Whether the step goes through the oracle (and so needs an attestation).
    pub fn requires_oracle(&self) -> bool {
        !matches!(self, StepKind::Compute { .. })
    }

    /// The codec tag (the reference's `StepKind` numbering).
    fn tag(&self) -> u8 {
        match self {
            StepKind::Compute { .. } => 0,
            StepKind::WriteExternal { .. } => 1,
            StepKind::ReadExternal { .. } => 2,
        }
    }
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Encode for StepKind {
    fn encode_to(&self, w: &mut Writer) {
        w.u8(self.tag());
        match self {
            StepKind::Compute { function, args } => {
                w.str(function);
                w.bytes(args);
            }
            StepKind::WriteExternal { url, payload } => {
                w.str(url);
                w.bytes(payload);
            }
            StepKind::ReadExternal { url } => w.str(url),
        }
    }
}

impl Decode for StepKind {
    const MIN_ENCODED_LEN: usize = 1 + 4;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        match r.u8()? {
            0 => Ok(StepKind::Compute {
                function: r.string(MAX_FUNCTION_LEN, "function")?,
                args: r.byte_vec(MAX_ARGS_LEN, "args")?,
            }),
            1 => Ok(StepKind::WriteExternal {
                url: r.string(MAX_URL_LEN, "url")?,
                payload: r.byte_vec(MAX_WRITE_PAYLOAD_LEN, "payload")?,
            }),
            2 => Ok(StepKind::ReadExternal {
                url: r.string(MAX_URL_LEN, "url")?,
            }),
            tag => Err(Error::InvalidTag {
                field: "step kind",
                tag,
            }),
        }
    }
}

/// Where a step is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StepState {
    /// Not yet started.
    Pending,
    /// Running (compute) or about to issue its oracle request.
    Executing,
    /// Waiting for oracle records and their attestation.
    Waiting,
    /// Done.
    Completed,
    /// Failed.
    Failed,
}

impl StepState {
    /// `pending`, `executing`, `waiting`, `completed` or `failed`.
    pub fn name(self) -> &'static str {
        match self {
            StepState::Pending => "pending",
            StepState::Executing => "executing",
            StepState::Waiting => "waiting",
            StepState::Completed => "completed",
            StepState::Failed => "failed",
        }
    }

    fn from_tag(tag: u8) -> Result<Self> {
        Ok(match tag {
            0 => StepState::Pending,
            1 => StepState::Executing,
            2 => StepState::Waiting,
            3 => StepState::Completed,
            4 => StepState::Failed,
            tag => {
                return Err(Error::InvalidTag {
                    field: "step state",
                    tag,
                });
            }
        })
    }

    fn tag(self) -> u8 {
        self as u8
    }
}

impl fmt::Display for StepState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One step of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Position in the session, from 0.
    pub index: u32,
    /// What the step does.
    pub kind: StepKind,
    /// The transaction that added the step.
    pub tx_id: Id,
    /// Hash of the step's inputs.
    pub input_hash: Id,
    /// Retry counter of the oracle request (0 for the first attempt).
    pub retry: u32,
    /// The oracle request ID for I/O steps (see [`crate::hash::oracle_request_id`]);
    /// `None` for compute steps.
    pub request_id: Option<Id>,
    /// Where the step is.
    pub state: StepState,
    /// Hash of the step's output, once completed.
    pub output_hash: Option<Id>,
    /// Merkle root of the oracle records, for completed I/O steps.
    pub oracle_commit_root: Option<Id>,
    /// The attestation (statement) ID over that root, for completed I/O steps.
    pub attestation_id: Option<Id>,
}

impl Encode for Step {
    fn encode_to(&self, w: &mut Writer) {
        w.u32(self.index);
        w.put(&self.kind);
        w.id(&self.tx_id);
        w.id(&self.input_hash);
        w.u32(self.retry);
        w.option(self.request_id.as_ref());
        w.u8(self.state.tag());
        w.option(self.output_hash.as_ref());
        w.option(self.oracle_commit_root.as_ref());
        w.option(self.attestation_id.as_ref());
    }
}

impl Decode for Step {
    const MIN_ENCODED_LEN: usize = 4 + StepKind::MIN_ENCODED_LEN + 32 + 32 + 4 + 1 + 1 + 3;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Step {
            index: r.u32()?,
            kind: r.get()?,
            tx_id: r.id()?,
            input_hash: r.id()?,
            retry: r.u32()?,
            request_id: r.option("request id")?,
            state: StepState::from_tag(r.u8()?)?,
            output_hash: r.option("output hash")?,
            oracle_commit_root: r.option("oracle commit root")?,
            attestation_id: r.option("attestation id")?,
        })
    }
}

impl Versioned for Step {
    const NAME: &'static str = "Step";
    const VERSION: u8 = 1;
}
