//! The session command line: keys, encryption, signatures and clients for SessionVM and sessiond.
