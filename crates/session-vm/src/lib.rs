//! SessionVM: the signed-transaction messaging state machine and its JSON-RPC service.
