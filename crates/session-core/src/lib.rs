//! The Lux Session model shared by SessionVM and sessiond: IDs, hashing, codec,
//! Merkle proofs, sessions, attestations and committees.
//!
//! ```
//! use session_core::Id;
//!
//! let id: Id = "Qbti334Sbv9i9x1EnWhC3fSR9Rnn8zWEBBBc1gyQLWjXwfFuw".parse()?;
//! assert_eq!(id.to_hex(), "35971be6e9bb024a895582fe0e42e04848a86da550aaef0fccbfba86f99f617d");
//! # Ok::<(), session_core::Error>(())
//! ```

pub mod cb58;
pub mod codec;
mod error;
pub mod hash;
mod id;
pub mod merkle;

pub use codec::{Decode, Encode, Reader, Versioned, Writer};
pub use error::{Error, Result};
pub use hash::hash;
pub use id::{ID_LEN, Id};
pub use merkle::{ConsistencyProof, InclusionProof, MerkleTree};
