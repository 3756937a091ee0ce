//! Message traits, the small enums of §3–§4, and the lifecycle messages
//! (Initialize, SetState, Shutdown, CreateHandlers, NewHTTPHandler,
//! WaitForEvent, Connected, Disconnected, Health, Version).

use crate::error::Result;
use crate::wire::field::{Id, NodeId, Reader, Writer};
use crate::wire::opcode::Opcode;

/// A message body with a fixed layout.
///
/// Decoding reads the fields in order and, as §3 requires, ignores bytes
/// after the last known field ([`decode`](Self::decode)); a node-side
/// checker that wants "nothing left over" uses
/// [`decode_exact`](Self::decode_exact).
pub trait Message: Sized {
    /// What the message is, for error texts (e.g. `"GetBlock request"`).
    const NAME: &'static str;

    /// Appends the fields.
    fn write(&self, w: &mut Writer);

    /// Reads the fields.
    fn read(r: &mut Reader<'_>) -> Result<Self>;

    /// The body as bytes.
    fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.write(&mut w);
        w.into_body()
    }

    /// Decodes a body, ignoring bytes after the last known field.
    fn decode(body: &[u8]) -> Result<Self> {
        Self::read(&mut Reader::new(body)).map_err(|e| e.in_message(Self::NAME))
    }

    /// Decodes a body that must hold nothing after the last field.
    fn decode_exact(body: &[u8]) -> Result<Self> {
        let mut r = Reader::new(body);
        Self::read(&mut r)
            .and_then(|m| r.finish().map(|()| m))
            .map_err(|e| e.in_message(Self::NAME))
    }
}

/// A request the node sends, tied to its opcode and reply layout.
pub trait Call: Message {
    /// The opcode.
    const OPCODE: Opcode;
    /// The success reply's layout.
    type Response: Message;
}

/// The empty body (most replies, several requests).
impl Message for () {
    const NAME: &'static str = "empty body";
    fn write(&self, _: &mut Writer) {}
    fn read(_: &mut Reader<'_>) -> Result<Self> {
        Ok(())
    }
}

/// Declares unit request structs with an empty body.
macro_rules! empty_requests {
    ($($(#[$doc:meta])* $name:ident => $op:ident, $resp:ty;)*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
            pub struct $name;

            impl Message for $name {
                const NAME: &'static str = concat!(stringify!($op), " request");
                fn write(&self, _: &mut Writer) {}
                fn read(_: &mut Reader<'_>) -> Result<Self> {
                    Ok($name)
                }
            }

            impl Call for $name {
                const OPCODE: Opcode = Opcode::$op;
                type Response = $resp;
            }
        )*
    };
}
pub(crate) use empty_requests;

/// Implements [`Call`] for request structs.
macro_rules! calls {
    ($($name:ident => $op:ident, $resp:ty;)*) => {
        $(
            impl Call for $name {
                const OPCODE: Opcode = Opcode::$op;
                type Response = $resp;
            }
        )*
    };
}
pub(crate) use calls;

empty_requests! {
    /// Shutdown (3): empty request, empty reply.
    ShutdownRequest => Shutdown, ();
    /// CreateHandlers (4): empty request.
    CreateHandlersRequest => CreateHandlers, CreateHandlersResponse;
    /// NewHTTPHandler (5): empty request.
    NewHttpHandlerRequest => NewHttpHandler, NewHttpHandlerResponse;
    /// WaitForEvent (6): empty request, `u8` event reply.
    WaitForEventRequest => WaitForEvent, Event;
    /// Health (13): empty request.
    HealthRequest => Health, HealthResponse;
    /// Version (14): empty request.
    VersionRequest => Version, VersionResponse;
}

/// The `Err` byte of some replies (§3): 0 means success.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ErrCode(pub u8);

impl ErrCode {
    /// 0: success; the other fields are trusted.
    pub const UNSPECIFIED: ErrCode = ErrCode(0);
    /// 1: "vm closed".
    pub const CLOSED: ErrCode = ErrCode(1);
    /// 2: not found (consensus reads it as "fetch it").
    pub const NOT_FOUND: ErrCode = ErrCode(2);
    /// 3: state sync not implemented.
    pub const STATE_SYNC_NOT_IMPLEMENTED: ErrCode = ErrCode(3);
    /// 4: "vm failed", for every other failure.
    pub const INTERNAL: ErrCode = ErrCode(4);

    /// Whether this is 0 (success).
    pub fn is_ok(self) -> bool {
        self.0 == 0
    }
}

impl std::fmt::Display for ErrCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self.0 {
            0 => "Unspecified",
            1 => "Closed",
            2 => "NotFound",
            3 => "StateSyncNotImplemented",
            4 => "Internal",
            _ => "unknown",
        };
        write!(f, "{} ({name})", self.0)
    }
}

/// The node's state, as sent in SetState (§4.2): the node's u32 truncated
/// to a byte. Every value must be accepted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct VmState(pub u8);

impl VmState {
    /// 0.
    pub const UNKNOWN: VmState = VmState(0);
    /// 1.
    pub const STARTING: VmState = VmState(1);
    /// 2.
    pub const SYNCING: VmState = VmState(2);
    /// 3: sent right after Initialize; do not signal work.
    pub const BOOTSTRAPPING: VmState = VmState(3);
    /// 4: normal operation.
    pub const READY: VmState = VmState(4);
    /// 5.
    pub const DEGRADED: VmState = VmState(5);
    /// 6.
    pub const STOPPING: VmState = VmState(6);
    /// 7.
    pub const STOPPED: VmState = VmState(7);
}

/// A WaitForEvent answer (§4.4). The node drops any other value, so the
/// type allows only these two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// 1: "build a block now".
    PendingTxs,
    /// 2: state sync finished.
    StateSyncDone,
}

impl Event {
    /// The byte on the wire.
    pub fn as_u8(self) -> u8 {
        match self {
            Event::PendingTxs => 1,
            Event::StateSyncDone => 2,
        }
    }
}

impl Message for Event {
    const NAME: &'static str = "WaitForEvent reply";
    fn write(&self, w: &mut Writer) {
        w.u8(self.as_u8());
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        match r.u8("event")? {
            1 => Ok(Event::PendingTxs),
            2 => Ok(Event::StateSyncDone),
            v => Err(crate::Error::InvalidValue {
                field: "event",
                value: u64::from(v),
            }),
        }
    }
}

/// Initialize (1) request (§4.1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InitializeRequest {
    /// 1: network ID (1337 on local networks).
    pub network_id: u32,
    /// 2: this chain's blockchain ID (an empty field reads as zero).
    pub chain_id: Id,
    /// 3: the node's ID (an empty field reads as zero).
    pub node_id: NodeId,
    /// 4: the node's BLS key; any length, usually empty.
    pub public_key: Vec<u8>,
    /// 5: X-chain ID.
    pub x_chain_id: Id,
    /// 6: C-chain ID.
    pub c_chain_id: Id,
    /// 7: UTXO asset ID.
    pub utxo_asset_id: Id,
    /// 8: the VM's private data directory (already created by the node).
    pub chain_data_dir: String,
    /// 9: genesis bytes, verbatim.
    pub genesis: Vec<u8>,
    /// 10: the chain's upgrade file, or empty.
    pub upgrade: Vec<u8>,
    /// 11: the chain's config file, or empty.
    pub config: Vec<u8>,
    /// 12: the node's key-value server, or empty.
    pub db_server_addr: String,
    /// 13: always empty.
    pub server_addr: String,
    /// 14–16: the optional trailing fields; `None` when the node sent none.
    pub extensions: Option<InitializeExtensions>,
}

/// Optional trailing fields 14–16 of [`InitializeRequest`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InitializeExtensions {
    /// 14: atomic-memory server, or empty.
    pub atomic_server_addr: String,
    /// 15: the D-chain ID (`None`: the field was empty or absent).
    pub d_chain_id: Option<Id>,
    /// 16: validator-state server, or empty.
    pub validator_server_addr: String,
}

impl Message for InitializeRequest {
    const NAME: &'static str = "Initialize request";

    fn write(&self, w: &mut Writer) {
        w.u32(self.network_id);
        w.bytes(&self.chain_id);
        w.bytes(&self.node_id);
        w.bytes(&self.public_key);
        w.bytes(&self.x_chain_id);
        w.bytes(&self.c_chain_id);
        w.bytes(&self.utxo_asset_id);
        w.string(&self.chain_data_dir);
        w.bytes(&self.genesis);
        w.bytes(&self.upgrade);
        w.bytes(&self.config);
        w.string(&self.db_server_addr);
        w.string(&self.server_addr);
        if let Some(ext) = &self.extensions {
            w.string(&ext.atomic_server_addr);
            w.bytes(ext.d_chain_id.as_ref().map_or(&[][..], |id| &id[..]));
            w.string(&ext.validator_server_addr);
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let network_id = r.u32("network_id")?;
        let chain_id = r.id_or_zero("chain_id")?;
        let node_id = {
            let raw = r.bytes("node_id")?;
            match raw.len() {
                0 => [0; 20],
                _ => raw.try_into().map_err(|_| crate::Error::BadLength {
                    field: "node_id",
                    expected: "0 or 20",
                    got: raw.len(),
                })?,
            }
        };
        let mut req = InitializeRequest {
            network_id,
            chain_id,
            node_id,
            public_key: r.bytes_vec("public_key")?,
            x_chain_id: r.id_or_zero("x_chain_id")?,
            c_chain_id: r.id_or_zero("c_chain_id")?,
            utxo_asset_id: r.id_or_zero("utxo_asset_id")?,
            chain_data_dir: r.string("chain_data_dir")?,
            genesis: r.bytes_vec("genesis")?,
            upgrade: r.bytes_vec("upgrade")?,
            config: r.bytes_vec("config")?,
            db_server_addr: r.string("db_server_addr")?,
            server_addr: r.string("server_addr")?,
            extensions: None,
        };
        if let Some(atomic) = r.trailing_string("atomic_server_addr")? {
            let d_chain_id = match r.trailing_bytes("d_chain_id")? {
                None | Some([]) => None,
                Some(raw) => Some(raw.try_into().map_err(|_| crate::Error::BadLength {
                    field: "d_chain_id",
                    expected: "0 or 32",
                    got: raw.len(),
                })?),
            };
            let validator = r.trailing_string("validator_server_addr")?;
            req.extensions = Some(InitializeExtensions {
                atomic_server_addr: atomic,
                d_chain_id,
                validator_server_addr: validator.unwrap_or_default(),
            });
        }
        Ok(req)
    }
}

/// Initialize (1) reply (§4.1): the last accepted block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InitializeResponse {
    /// 1: last accepted block ID.
    pub last_accepted_id: Id,
    /// 2: its parent (all zero for genesis).
    pub last_accepted_parent_id: Id,
    /// 3: its height.
    pub height: u64,
    /// 4: its bytes.
    pub bytes: Vec<u8>,
    /// 5: its timestamp, Unix ns.
    pub timestamp: i64,
    /// 6: capability bits (optional trailing; SessionVM sends 0).
    pub capabilities: u64,
}

impl InitializeResponse {
    /// Capability bit 0: answers SetQuasarFinalized / QuasarHeight.
    pub const CAP_QUASAR_EXPORT: u64 = 1 << 0;
    /// Capability bit 1: answers the state-sync calls.
    pub const CAP_STATE_SYNC: u64 = 1 << 1;
}

impl Message for InitializeResponse {
    const NAME: &'static str = "Initialize reply";

    fn write(&self, w: &mut Writer) {
        w.bytes(&self.last_accepted_id);
        w.bytes(&self.last_accepted_parent_id);
        w.u64(self.height);
        w.bytes(&self.bytes);
        w.i64(self.timestamp);
        w.u64(self.capabilities);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            last_accepted_id: r.id("last_accepted_id")?,
            last_accepted_parent_id: r.id("last_accepted_parent_id")?,
            height: r.u64("height")?,
            bytes: r.bytes_vec("bytes")?,
            timestamp: r.i64("timestamp")?,
            capabilities: r.trailing_u64("capabilities")?.unwrap_or(0),
        })
    }
}

/// SetState (2) request: one byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SetStateRequest {
    /// The new state.
    pub state: VmState,
}

impl Message for SetStateRequest {
    const NAME: &'static str = "SetState request";
    fn write(&self, w: &mut Writer) {
        w.u8(self.state.0);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            state: VmState(r.u8("state")?),
        })
    }
}

/// One HTTP handler in a CreateHandlers reply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Handler {
    /// `""` or a path starting with `/` (SessionVM: `"/rpc"`).
    pub prefix: String,
    /// `host:port` of an HTTP/1.1 server already listening; empty entries
    /// are skipped by the node.
    pub addr: String,
}

/// CreateHandlers (4) reply: `list<Handler>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateHandlersResponse {
    /// The handlers.
    pub handlers: Vec<Handler>,
}

impl Message for CreateHandlersResponse {
    const NAME: &'static str = "CreateHandlers reply";
    fn write(&self, w: &mut Writer) {
        w.count(self.handlers.len());
        for h in &self.handlers {
            w.string(&h.prefix);
            w.string(&h.addr);
        }
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let n = r.count("handlers", 8)?;
        let mut handlers = Vec::with_capacity(n);
        for _ in 0..n {
            handlers.push(Handler {
                prefix: r.string("prefix")?,
                addr: r.string("addr")?,
            });
        }
        Ok(Self { handlers })
    }
}

/// NewHTTPHandler (5) reply: a `string` (SessionVM: `""`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewHttpHandlerResponse {
    /// Ignored by the node.
    pub addr: String,
}

impl Message for NewHttpHandlerResponse {
    const NAME: &'static str = "NewHTTPHandler reply";
    fn write(&self, w: &mut Writer) {
        w.string(&self.addr);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            addr: r.string("addr")?,
        })
    }
}

/// Connected (7) request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectedRequest {
    /// The peer.
    pub node_id: NodeId,
    /// Its client name.
    pub name: String,
    /// Version major.
    pub major: u32,
    /// Version minor.
    pub minor: u32,
    /// Version patch.
    pub patch: u32,
}

impl Message for ConnectedRequest {
    const NAME: &'static str = "Connected request";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.node_id);
        w.string(&self.name);
        w.u32(self.major);
        w.u32(self.minor);
        w.u32(self.patch);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            node_id: r.node_id("node_id")?,
            name: r.string("name")?,
            major: r.u32("major")?,
            minor: r.u32("minor")?,
            patch: r.u32("patch")?,
        })
    }
}

/// Disconnected (8) request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DisconnectedRequest {
    /// The peer.
    pub node_id: NodeId,
}

impl Message for DisconnectedRequest {
    const NAME: &'static str = "Disconnected request";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.node_id);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            node_id: r.node_id("node_id")?,
        })
    }
}

/// Health (13) reply: one `bytes` field of opaque details (JSON is fine).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HealthResponse {
    /// Opaque details.
    pub details: Vec<u8>,
}

impl Message for HealthResponse {
    const NAME: &'static str = "Health reply";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.details);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            details: r.bytes_vec("details")?,
        })
    }
}

/// Version (14) reply: a `string`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionResponse {
    /// E.g. `sessionvm/0.1.0`.
    pub version: String,
}

impl Message for VersionResponse {
    const NAME: &'static str = "Version reply";
    fn write(&self, w: &mut Writer) {
        w.string(&self.version);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            version: r.string("version")?,
        })
    }
}

calls! {
    InitializeRequest => Initialize, InitializeResponse;
    SetStateRequest => SetState, ();
    ConnectedRequest => Connected, ();
    DisconnectedRequest => Disconnected, ();
}
