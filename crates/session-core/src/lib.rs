//! The Lux Session model shared by SessionVM and sessiond: IDs, hashing, codec, Merkle proofs, sessions, attestations and committees.
