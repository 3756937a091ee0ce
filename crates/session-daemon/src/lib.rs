//! sessiond's service core: the node registry, deterministic compute
//! functions, oracle rounds, the session runner and their persistence.
//!
//! Everything here is sans-I/O: state machines fed with events, returning
//! what to do next. The networked node wires them to `session-net`, an HTTP
//! client and a store.
//!
//! ```
//! use session_core::{CommitteeKeys, OracleRecord, OracleRequest, RequestKind, hash};
//! use session_crypto::Identity;
//! use session_daemon::round::{Added, OracleRound};
//!
//! let members: Vec<Identity> = (0..3).map(|_| Identity::generate()).collect();
//! let keys: CommitteeKeys = members.iter().map(|m| m.public().clone()).collect();
//! let request = OracleRequest {
//!     service_id: hash(b"svc"),
//!     session_id: hash(b"session"),
//!     step: 0,
//!     retry: 0,
//!     tx_id: hash(b"tx"),
//!     kind: RequestKind::Read,
//!     input_hash: hash(b"https://example.com/price"),
//! };
//! let mut round = OracleRound::new(request, 1, keys, 3)?;
//! for m in &members {
//!     let record = OracleRecord::sign(m, request.id(), b"42".to_vec())?;
//!     assert_eq!(round.add_record(record)?, Added::New);
//! }
//! let root = round.commit()?;
//! let statement = round.statement().expect("committed");
//! for m in &members {
//!     round.add_attestation(session_core::Attestation::sign(m, statement))?;
//! }
//! let certificate = round.certificate()?;
//! assert_eq!(certificate.statement.commit_root, root);
//! # Ok::<(), session_daemon::Error>(())
//! ```

pub mod api;
pub mod compute;
pub mod epoch;
mod error;
pub mod evidence;
#[doc(hidden)]
pub mod fuzz;
pub mod http;
pub mod node;
pub mod outcome;
pub mod precheck;
pub mod registry;
pub mod round;
pub mod runner;
pub mod service;
pub mod sigcache;
pub mod store;
pub mod verify;
pub mod wire;
pub mod write;

pub use compute::Functions;
pub use error::{Error, Result};
pub use evidence::{Evidence, RecordEquivocation};
pub use outcome::{StepOutcome, values_hash};
pub use registry::{NodeRecord, NodeState, Registry};
pub use round::{Added, OracleRound};
pub use runner::{Action, Certified, Event, Message, Runner, RunnerConfig};
pub use service::{Daemon, DaemonConfig, SessionReport};
pub use store::DaemonStore;
