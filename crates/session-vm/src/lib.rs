//! SessionVM: post-quantum private messaging as a Lux virtual machine.
//!
//! Sessions and messages live in chain state and change only through
//! transactions signed with ML-DSA-65 ([`statement`] has the exact bytes). The
//! state machine is sans-I/O ([`Vm`] over a [`session_store::Store`]); [`Chain`]
//! adds the mempool and waiting callers; [`rpc`] serves the JSON-RPC contract;
//! [`node`] runs a standalone single-node chain.
//!
//! ```
//! use std::sync::Arc;
//! use session_crypto::Identity;
//! use session_core::Id;
//! use session_store::MemoryStore;
//! use session_vm::{Chain, ChainOptions, Genesis, Config, Vm, statement, tx::*};
//!
//! let vm = Vm::open(Arc::new(MemoryStore::new()), &Genesis { config: Config::default(), chain_id: None })?;
//! let chain = Chain::new(vm, ChainOptions::default());
//! let chain_id = *chain.reader().chain_id();
//!
//! let (alice, bob) = (Identity::generate(), Identity::generate());
//! let participants = vec![Id::new(alice.id().0), Id::new(bob.id().0)];
//! let stmt = statement::create_session(&chain_id, 1, &participants);
//! let create = Tx::CreateSession(CreateSession {
//!     participants,
//!     public_keys: vec![alice.public().clone(), bob.public().clone()],
//!     nonce: 1,
//!     signature: alice.sign(&stmt),
//! });
//! chain.admit(create)?;
//! assert_eq!(chain.seal_pending()?, 1);
//! let session_id = statement::derive_id(&stmt);
//! assert_eq!(chain.session(&session_id)?.unwrap().status, "active");
//! # Ok::<(), session_vm::Error>(())
//! ```

pub mod archive;
pub mod block;
pub mod chain;
pub mod config;
mod error;
pub mod exec;
pub mod key_cache;
pub mod mempool;
pub mod query;
pub mod state;
pub mod statement;
pub mod tx;
pub mod vm;

pub use chain::{Chain, ChainOptions};
pub use config::Config;
pub use error::{Error, Result};
pub use exec::Outcome;
pub use key_cache::KeyCache;
pub use query::{SessionInfo, StateReader};
pub use vm::{Genesis, Tip, Vm};
pub mod node;
pub mod plugin;
pub mod rpc;
