//! Key-value storage for Lux Session: a store trait with memory and redb backends.
