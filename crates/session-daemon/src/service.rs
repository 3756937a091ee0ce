//! The networked daemon: one event loop owning this node's session runners,
//! wired to the `session-net` transport, the HTTP client and the store.
//!
//! - A client's [`Daemon::submit`] assigns the committee for the service in
//!   the current epoch, sends the pending session to every member
//!   (`SessionCreate`), and every member checks it against its own registry
//!   before running it.
//! - Runner gossip travels as transport `Data` on [`GOSSIP_TOPIC`], only to
//!   the session's committee.
//! - Fetches and posts run in their own tasks with size and time limits and
//!   come back to the loop as events; the loop ticks the runners' clocks.
//! - Every change is persisted before the loop goes on; on start, stored
//!   sessions that are not over are resumed (their current I/O step retried).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use session_core::codec::{Versioned, Writer};
use session_core::{
    CommitteeConfig, CommitteeKeys, Id, MAX_ORACLE_DATA_LEN, MAX_STEPS, OracleRecord,
    QuorumCertificate, Session, SessionState, StepKind, hash, node_id,
};
use session_crypto::{Identity, IdentityId};
use session_net::{CancellationToken, Data, MAX_DATA_LEN, Message as NetMessage, Node};
use session_store::Store;
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, info, warn};

use crate::compute::Functions;
use crate::error::{Error, Result};
use crate::evidence::Evidence;
use crate::http::{HttpClient, HttpUrl};
use crate::outcome::StepOutcome;
use crate::precheck;
use crate::registry::Registry;
use crate::runner::{Action, Event, Message, Runner, RunnerConfig};
use crate::sigcache::SigCache;
use crate::store::DaemonStore;
use crate::wire::{BEACON_TOPIC, BeaconMessage, GOSSIP_TOPIC, Gossip};
use crate::write;

#[path = "service_epoch.rs"]
mod epoch_loop;

/// Inbound messages whose signatures are being checked at once, at most.
const MAX_CHECKING: usize = 256;
/// Gossip kept for sessions not yet known, per session.
const MAX_EARLY_PER_SESSION: usize = 1024;
/// Bytes of gossip kept for sessions not yet known, all sessions together.
const MAX_EARLY_BYTES: usize = 32 << 20;
/// Gossip for an unknown session is forgotten after this long, in ms.
const EARLY_TTL_MS: u64 = 30_000;
/// Sessions whose gossip may be kept before they are known.
const MAX_EARLY_SESSIONS: usize = 64;

/// The daemon's settings.
#[derive(Debug, Clone)]
pub struct DaemonConfig {
    /// The transport's settings (listen address, bootstrap peers, limits).
    pub net: session_net::Config,
    /// The runners' timing.
    pub runner: RunnerConfig,
    /// Committee bounds.
    pub committee: CommitteeConfig,
    /// Most sessions running at once on this node (`-max-sessions`).
    pub max_sessions: usize,
    /// How often runners' clocks tick.
    pub tick: Duration,
    /// Budget of one external fetch or post (connect, TLS and exchange).
    pub http_timeout: Duration,
    /// The oracle HTTP client (which CAs `https://` URLs may chain to).
    pub http: HttpClient,
    /// How long an epoch lasts before this node signs the next beacon
    /// (`-epoch-length`); `None`: never (it still follows beacons others
    /// certify).
    pub epoch_length: Option<Duration>,
    /// Fault injection for tests: sign and send a second, conflicting record
    /// for every oracle record this node sends. Never set it in production.
    #[doc(hidden)]
    pub fault_equivocate: bool,
}

impl DaemonConfig {
    /// Defaults, with the transport listening on `listen`.
    pub fn listening_on(listen: std::net::SocketAddr) -> Self {
        DaemonConfig {
            net: session_net::Config::listening_on(listen),
            runner: RunnerConfig::default(),
            committee: CommitteeConfig::default(),
            max_sessions: 100,
            tick: Duration::from_millis(20),
            http_timeout: Duration::from_secs(5),
            http: HttpClient::default(),
            epoch_length: None,
            fault_equivocate: false,
        }
    }
}

/// What a client sees of a session.
#[derive(Debug, Clone)]
pub struct SessionReport {
    /// The session.
    pub session: Session,
    /// Completed steps' outcomes.
    pub outcomes: Vec<StepOutcome>,
    /// The `session/complete` certificate once finalized.
    pub final_certificate: Option<QuorumCertificate>,
}

enum Input {
    Gossip(Id, Box<Gossip>, usize),
    Create(Id, Box<Session>, Option<oneshot::Sender<Result<()>>>),
    Event(Id, Event),
    Query(Id, oneshot::Sender<Option<SessionReport>>),
    Beacon(Id, Box<BeaconMessage>),
}

struct Inner {
    identity: Identity,
    me: Id,
    net: Node,
    store: DaemonStore,
    registry: parking_lot_free::Mutex<Registry>,
    functions: Functions,
    config: DaemonConfig,
    tx: mpsc::Sender<Input>,
    /// Signatures checked already (off the event loop, or by a runner).
    sigs: SigCache,
}

mod parking_lot_free {
    /// A std mutex that shrugs off poisoning (the data is plain state).
    #[derive(Debug, Default)]
    pub(super) struct Mutex<T>(std::sync::Mutex<T>);

    impl<T> Mutex<T> {
        pub(super) fn new(v: T) -> Self {
            Mutex(std::sync::Mutex::new(v))
        }
        pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, T> {
            self.0.lock().unwrap_or_else(|e| e.into_inner())
        }
    }
}

/// A running sessiond node. Cheap to clone.
#[derive(Clone)]
pub struct Daemon {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Daemon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Daemon")
            .field("id", &self.inner.me)
            .finish_non_exhaustive()
    }
}

fn clone_identity(identity: &Identity) -> Identity {
    Identity::from_seeds(identity.kem_seed(), identity.dsa_seed())
}

/// The hash a step's `input_hash` is set to: `H(canonical step kind)`.
pub fn step_input_hash(kind: &StepKind) -> Id {
    let mut w = Writer::new();
    w.put(kind);
    hash(w.as_slice())
}

/// Checks a client's steps: count, known functions, `http://` or `https://` URLs.
pub fn validate_steps(steps: &[StepKind], functions: &Functions) -> Result<()> {
    if steps.is_empty() {
        return Err(Error::InvalidInput("a session needs at least one step"));
    }
    if steps.len() > MAX_STEPS {
        return Err(Error::InvalidInput("too many steps"));
    }
    for step in steps {
        match step {
            StepKind::Compute { function, args } => {
                if !functions.contains(function) {
                    return Err(Error::UnknownFunction(function.chars().take(64).collect()));
                }
                if args.len() > session_core::MAX_ARGS_LEN {
                    return Err(Error::InvalidInput("compute args too large"));
                }
            }
            StepKind::ReadExternal { url } | StepKind::WriteExternal { url, .. } => {
                if url.len() > session_core::MAX_URL_LEN || HttpUrl::parse(url).is_err() {
                    return Err(Error::InvalidInput(
                        "step URLs must be valid http:// or https:// URLs",
                    ));
                }
            }
        }
        if let StepKind::WriteExternal { payload, .. } = step
            && payload.len() > session_core::MAX_WRITE_PAYLOAD_LEN
        {
            return Err(Error::InvalidInput("write payload too large"));
        }
    }
    Ok(())
}

impl Daemon {
    /// Binds the transport, restores or seeds the registry, resumes stored
    /// sessions and starts the event loop. `registry` seeds an empty store;
    /// a store that already holds a registry keeps its own.
    pub async fn start(
        identity: Identity,
        store: Arc<dyn Store>,
        registry: Registry,
        config: DaemonConfig,
        shutdown: CancellationToken,
    ) -> Result<Daemon> {
        let store = DaemonStore::new(store);
        let stored = store.load_registry(config.committee)?;
        let registry = if stored.nodes().next().is_some() {
            stored
        } else {
            store.save_registry(&registry)?;
            registry
        };
        let net = Node::bind_with_shutdown(clone_identity(&identity), config.net.clone(), shutdown)
            .await
            .map_err(|e| Error::Network(e.to_string()))?;
        let (tx, rx) = mpsc::channel(4096);
        let me = node_id(identity.public());
        let inner = Arc::new(Inner {
            identity,
            me,
            net,
            store,
            registry: parking_lot_free::Mutex::new(registry),
            functions: Functions::builtin(),
            config,
            tx,
            sigs: SigCache::new(),
        });
        let daemon = Daemon { inner };
        tokio::spawn(receive_loop(daemon.inner.clone()));
        tokio::spawn(event_loop(daemon.inner.clone(), rx));
        info!(id = %me, addr = %daemon.inner.net.local_addr(), "sessiond started");
        Ok(daemon)
    }

    /// This node's ID.
    pub fn id(&self) -> Id {
        self.inner.me
    }

    /// The transport node (to connect peers).
    pub fn net(&self) -> &Node {
        &self.inner.net
    }

    /// A copy of the registry.
    pub fn registry(&self) -> Registry {
        self.inner.registry.lock().clone()
    }

    /// Changes the registry and persists it.
    pub fn update_registry<R>(&self, f: impl FnOnce(&mut Registry) -> R) -> Result<R> {
        let mut reg = self.inner.registry.lock();
        let r = f(&mut reg);
        self.inner.store.save_registry(&reg)?;
        Ok(r)
    }

    /// Submits a session of `steps` for `service_id`, identified by `tx_id`.
    /// Returns its ID once sent to the committee.
    pub async fn submit(&self, service_id: Id, tx_id: Id, steps: Vec<StepKind>) -> Result<Id> {
        let inner = &self.inner;
        validate_steps(&steps, &inner.functions)?;
        let session = {
            let reg = inner.registry.lock();
            let epoch = reg.epoch();
            let committee = reg.committee(&service_id, epoch)?;
            let mut s = Session::new(service_id, epoch, tx_id, committee.members)?;
            for kind in steps {
                let input = step_input_hash(&kind);
                s.add_step(kind, tx_id, input)?;
            }
            s
        };
        if inner.store.load_session(&session.id)?.is_some() {
            return Err(Error::InvalidInput("a session with this tx_id exists"));
        }
        let id = session.id;
        // Accepted here first (limits, checks), so the client hears of a refusal.
        let (reply, accepted) = oneshot::channel();
        let stopped = || Error::Network("daemon stopped".into());
        inner
            .tx
            .send(Input::Create(
                inner.me,
                Box::new(session.clone()),
                Some(reply),
            ))
            .await
            .map_err(|_| stopped())?;
        match accepted.await.map_err(|_| stopped())? {
            Ok(()) | Err(Error::NotMember) => {}
            Err(e) => return Err(e),
        }
        for member in &session.committee {
            if *member != inner.me {
                let msg = NetMessage::SessionCreate(Box::new(session.clone()));
                if let Err(e) = inner.net.send(&IdentityId(member.0), msg).await {
                    warn!(%member, error = %e, "could not send the session to a member");
                }
            }
        }
        Ok(id)
    }

    /// The session's current state on this node.
    pub async fn session(&self, id: Id) -> Option<SessionReport> {
        let (tx, rx) = oneshot::channel();
        self.inner.tx.send(Input::Query(id, tx)).await.ok()?;
        rx.await.ok().flatten()
    }

    /// Stops the transport (the loops end with it).
    pub async fn shutdown(&self) {
        self.inner.net.shutdown().await;
    }
}

/// An inbound message on its way to the event loop: ready, or having its
/// signatures checked on the blocking pool.
enum Pending {
    Ready(Input),
    Checking(tokio::task::JoinHandle<Input>),
}

/// Checks `g`'s signatures on the blocking pool (see [`crate::precheck`]).
fn precheck(inner: &Inner, from: Id, g: Gossip, len: usize) -> Pending {
    let signers = precheck::signers(&g.message);
    let keys: CommitteeKeys = {
        let reg = inner.registry.lock();
        signers
            .iter()
            .filter_map(|id| reg.get(id).map(|n| n.public.clone()))
            .collect()
    };
    if keys.is_empty() {
        return Pending::Ready(Input::Gossip(from, Box::new(g), len));
    }
    let sigs = inner.sigs.clone();
    Pending::Checking(tokio::task::spawn_blocking(move || {
        precheck::check(&g.message, &keys, &sigs);
        Input::Gossip(from, Box::new(g), len)
    }))
}

/// Hands checked messages to the event loop in arrival order.
async fn forward_loop(inner: Arc<Inner>, mut pending: mpsc::Receiver<Pending>) {
    while let Some(p) = pending.recv().await {
        let input = match p {
            Pending::Ready(input) => input,
            Pending::Checking(task) => match task.await {
                Ok(input) => input,
                Err(e) => {
                    warn!(error = %e, "signature check failed to run");
                    continue;
                }
            },
        };
        if inner.tx.send(input).await.is_err() {
            break;
        }
    }
}

async fn receive_loop(inner: Arc<Inner>) {
    let (pending, checked) = mpsc::channel(MAX_CHECKING);
    tokio::spawn(forward_loop(inner.clone(), checked));
    let mut sub = inner.net.subscribe();
    while let Some(inbound) = sub.recv().await {
        let from = Id(inbound.from.0);
        let input = match inbound.message {
            NetMessage::SessionCreate(s) => Input::Create(from, s, None),
            NetMessage::Data(Data { topic, payload }) if topic == GOSSIP_TOPIC => {
                match Gossip::decode(&payload) {
                    Ok(g) => {
                        if pending
                            .send(precheck(&inner, from, g, payload.len()))
                            .await
                            .is_err()
                        {
                            break;
                        }
                        continue;
                    }
                    Err(e) => {
                        debug!(%from, error = %e, "bad gossip dropped");
                        continue;
                    }
                }
            }
            NetMessage::Data(Data { topic, payload }) if topic == BEACON_TOPIC => {
                match BeaconMessage::decode(&payload) {
                    Ok(m) => Input::Beacon(from, Box::new(m)),
                    Err(e) => {
                        debug!(%from, error = %e, "bad beacon message dropped");
                        continue;
                    }
                }
            }
            _ => continue,
        };
        if pending.send(Pending::Ready(input)).await.is_err() {
            break;
        }
    }
}

/// Gossip kept for a session not yet known: sender, message, wire size.
type Early = (Id, Message, usize);

struct Loop {
    inner: Arc<Inner>,
    runners: HashMap<Id, Runner>,
    early: HashMap<Id, (u64, Vec<Early>)>,
    early_bytes: usize,
    started: Instant,
    epoch: epoch_loop::EpochState,
}

async fn event_loop(inner: Arc<Inner>, mut rx: mpsc::Receiver<Input>) {
    let mut lp = Loop {
        inner: inner.clone(),
        runners: HashMap::new(),
        early: HashMap::new(),
        early_bytes: 0,
        started: Instant::now(),
        epoch: epoch_loop::EpochState::new(),
    };
    lp.resume();
    let mut tick = tokio::time::interval(inner.config.tick);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let token = inner.net.shutdown_token();
    loop {
        tokio::select! {
            _ = token.cancelled() => break,
            _ = tick.tick() => {
                lp.expire_early();
                lp.epoch_tick();
                let ids: Vec<Id> = lp.runners.keys().copied().collect();
                for id in ids {
                    lp.handle(id, Event::Tick);
                }
            }
            input = rx.recv() => match input {
                None => break,
                Some(Input::Event(id, event)) => lp.handle(id, event),
                Some(Input::Gossip(from, g, len)) => lp.gossip(from, *g, len),
                Some(Input::Create(from, s, reply)) => {
                    let r = lp.create(from, *s);
                    if let Some(reply) = reply {
                        let _ = reply.send(r);
                    }
                }
                Some(Input::Query(id, reply)) => {
                    let _ = reply.send(lp.report(&id));
                }
                Some(Input::Beacon(from, m)) => lp.beacon_message(from, *m),
            }
        }
    }
}

impl Loop {
    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn keys(&self, session: &Session) -> session_core::CommitteeKeys {
        self.inner
            .registry
            .lock()
            .committee_keys(&session.committee)
    }

    fn resume(&mut self) {
        let ids = match self.inner.store.session_ids() {
            Ok(ids) => ids,
            Err(e) => {
                warn!(error = %e, "could not list stored sessions");
                return;
            }
        };
        for id in ids {
            match self.inner.store.load_session(&id) {
                // Sessions that are over are served from the store.
                Ok(Some((session, _))) if session.state.is_terminal() => {}
                Ok(Some((session, outcomes))) => {
                    if let Err(e) = self.install(session, outcomes) {
                        warn!(%id, error = %e, "stored session not resumed");
                    }
                }
                Ok(None) => {}
                Err(e) => warn!(%id, error = %e, "stored session unreadable"),
            }
        }
    }

    fn install(&mut self, session: Session, outcomes: Vec<StepOutcome>) -> Result<()> {
        let id = session.id;
        let keys = self.keys(&session);
        let mut runner = Runner::new(
            session,
            outcomes,
            &self.inner.identity,
            &keys,
            self.inner.functions.clone(),
            self.inner.config.runner,
        )?;
        runner.set_signature_cache(self.inner.sigs.clone());
        self.runners.insert(id, runner);
        self.handle(id, Event::Start);
        let early = self.take_early(&id);
        for (from, message, _) in early {
            self.handle(
                id,
                Event::Message {
                    from,
                    message: Box::new(message),
                },
            );
        }
        Ok(())
    }

    fn live(&self) -> usize {
        self.runners
            .values()
            .filter(|r| !r.session().state.is_terminal())
            .count()
    }

    fn create(&mut self, from: Id, session: Session) -> Result<()> {
        let id = session.id;
        if self.runners.contains_key(&id) {
            return Err(Error::InvalidInput("session already known"));
        }
        if self.hold_future(from, &session) {
            return Ok(());
        }
        let check = || -> Result<()> {
            if session.state != SessionState::Pending {
                return Err(Error::InvalidInput("a new session must be pending"));
            }
            if !session.committee.contains(&self.inner.me) {
                return Err(Error::NotMember);
            }
            let reg = self.inner.registry.lock();
            let committee = reg.committee(&session.service_id, session.epoch)?;
            if committee.members != session.committee {
                return Err(Error::InvalidInput("committee does not match the registry"));
            }
            drop(reg);
            let kinds: Vec<StepKind> = session.steps.iter().map(|s| s.kind.clone()).collect();
            validate_steps(&kinds, &self.inner.functions)?;
            if session
                .steps
                .iter()
                .any(|s| s.input_hash != step_input_hash(&s.kind))
            {
                return Err(Error::InvalidInput("step input hash mismatch"));
            }
            if self.live() >= self.inner.config.max_sessions {
                return Err(Error::TooManySessions);
            }
            if self.inner.store.load_session(&id)?.is_some() {
                return Err(Error::InvalidInput("session already known"));
            }
            Ok(())
        };
        if let Err(e) = check() {
            warn!(%id, %from, error = %e, "session refused");
            self.take_early(&id);
            return Err(e);
        }
        info!(%id, steps = session.steps.len(), "session accepted");
        self.install(session, Vec::new())
    }

    /// Forgets gossip of sessions that never arrived.
    fn expire_early(&mut self) {
        let now = self.now();
        let stale: Vec<Id> = self
            .early
            .iter()
            .filter(|(_, (since, _))| now.saturating_sub(*since) > EARLY_TTL_MS)
            .map(|(id, _)| *id)
            .collect();
        for id in stale {
            self.take_early(&id);
        }
    }

    fn take_early(&mut self, id: &Id) -> Vec<Early> {
        let (_, early) = self.early.remove(id).unwrap_or_default();
        let bytes: usize = early.iter().map(|(_, _, len)| len).sum();
        self.early_bytes = self.early_bytes.saturating_sub(bytes);
        early
    }

    fn gossip(&mut self, from: Id, g: Gossip, len: usize) {
        if self.runners.contains_key(&g.session_id) {
            self.handle(
                g.session_id,
                Event::Message {
                    from,
                    message: Box::new(g.message),
                },
            );
            return;
        }
        if self.early.len() >= MAX_EARLY_SESSIONS && !self.early.contains_key(&g.session_id) {
            return;
        }
        // Only active nodes' gossip is worth keeping, within a byte budget.
        let active = self
            .inner
            .registry
            .lock()
            .get(&from)
            .is_some_and(|n| n.state == crate::registry::NodeState::Active);
        if !active || self.early_bytes.saturating_add(len) > MAX_EARLY_BYTES {
            return;
        }
        // Late gossip of a session that is over (and out of memory).
        if self.inner.store.has_session(&g.session_id).unwrap_or(false) {
            return;
        }
        let now = self.now();
        let (_, queue) = self.early.entry(g.session_id).or_insert((now, Vec::new()));
        if queue.len() < MAX_EARLY_PER_SESSION {
            queue.push((from, g.message, len));
            self.early_bytes += len;
        }
    }

    /// Records a write's response hash in a session that is already over.
    fn patch_response(&self, id: Id, request_id: Id, response_hash: Id) {
        let store = &self.inner.store;
        let Ok(Some((session, mut outcomes))) = store.load_session(&id) else {
            return;
        };
        let step = session
            .steps
            .iter()
            .position(|s| s.request_id == Some(request_id));
        if let Some(o) = step.and_then(|i| outcomes.get_mut(i)) {
            o.response_hash = Some(response_hash);
            if let Err(e) = store.save_session(&session, &outcomes) {
                warn!(%id, error = %e, "could not persist the response hash");
            }
        }
    }

    fn report(&self, id: &Id) -> Option<SessionReport> {
        if let Some(r) = self.runners.get(id) {
            return Some(SessionReport {
                session: r.session().clone(),
                outcomes: r.outcomes().to_vec(),
                final_certificate: r.final_certificate().cloned(),
            });
        }
        let (session, outcomes) = self.inner.store.load_session(id).ok()??;
        let final_certificate = self.inner.store.load_final_certificate(id).ok().flatten();
        Some(SessionReport {
            session,
            outcomes,
            final_certificate,
        })
    }

    fn handle(&mut self, id: Id, event: Event) {
        let now = self.now();
        let Some(runner) = self.runners.get_mut(&id) else {
            if let Event::Posted {
                request_id,
                result: Ok(response_hash),
            } = event
            {
                self.patch_response(id, request_id, response_hash);
            }
            return;
        };
        let actions = runner.handle(&self.inner.identity, now, event);
        for action in actions {
            self.act(id, action);
        }
        // A session that is over lives on in the store only (queries read
        // it from there; a late post result patches it there). The last
        // Persist above saved it.
        if self
            .runners
            .get(&id)
            .is_some_and(|r| r.session().state.is_terminal())
        {
            self.runners.remove(&id);
        }
    }

    fn act(&mut self, id: Id, action: Action) {
        let inner = self.inner.clone();
        match action {
            Action::Fetch { request_id, url } => {
                let timeout = inner.config.http_timeout;
                tokio::spawn(async move {
                    let result = inner
                        .config
                        .http
                        .get(&url, MAX_ORACLE_DATA_LEN, timeout)
                        .await
                        .map_err(|e| e.to_string());
                    if let Err(e) = &result {
                        warn!(%url, error = %e, "fetch failed");
                    }
                    let event = Event::Fetched { request_id, result };
                    let _ = inner.tx.send(Input::Event(id, event)).await;
                });
            }
            Action::Post {
                request_id,
                url,
                document,
            } => {
                let timeout = inner.config.http_timeout;
                tokio::spawn(async move {
                    let headers = [
                        ("X-Lux-Session", id.to_hex()),
                        (
                            "X-Lux-Attestation",
                            document.certificate.statement.id().to_hex(),
                        ),
                    ];
                    let result = inner
                        .config
                        .http
                        .post(
                            &url,
                            write::CONTENT_TYPE,
                            &headers,
                            &document.to_json(),
                            MAX_ORACLE_DATA_LEN,
                            timeout,
                        )
                        .await
                        .map(|response| hash(&response))
                        .map_err(|e| e.to_string());
                    if let Err(e) = &result {
                        warn!(%url, error = %e, "post failed");
                    }
                    let event = Event::Posted { request_id, result };
                    let _ = inner.tx.send(Input::Event(id, event)).await;
                });
            }
            Action::Broadcast(message) => {
                if let (true, Message::Record(r)) = (inner.config.fault_equivocate, &message) {
                    // Still a number, so only the equivocation itself is tested.
                    let mut data = r.data.clone();
                    data.push(b'0');
                    if let Ok(twin) = OracleRecord::sign(&inner.identity, r.request_id, data) {
                        self.broadcast(id, Message::Record(twin));
                    }
                }
                self.broadcast(id, message);
            }
            Action::Evidence(e) => self.apply_evidence(&e),
            Action::Persist => {
                if let Some(r) = self.runners.get(&id)
                    && let Err(e) = inner.store.save_session(r.session(), r.outcomes())
                {
                    warn!(%id, error = %e, "could not persist the session");
                }
            }
            Action::Finalized(qc) => {
                info!(%id, "session finalized");
                if let Err(e) = inner.store.save_final_certificate(&id, &qc) {
                    warn!(%id, error = %e, "could not persist the final certificate");
                }
            }
            Action::Failed(reason) => warn!(%id, %reason, "session failed"),
        }
    }

    /// Checks `evidence` against the registry, slashes and persists.
    fn apply_evidence(&self, evidence: &Evidence) {
        let inner = &self.inner;
        let offender = evidence.offender();
        let mut reg = inner.registry.lock();
        match reg.apply_evidence(evidence) {
            Ok(true) => {
                warn!(%offender, "equivocation: node slashed");
                if let Some(node) = reg.get(&offender)
                    && let Err(e) = inner.store.save_node(node)
                {
                    warn!(error = %e, "could not persist the slashing");
                }
            }
            Ok(false) => {}
            Err(err) => debug!(%offender, error = %err, "evidence not applied"),
        }
    }

    fn broadcast(&self, id: Id, message: Message) {
        let Some(runner) = self.runners.get(&id) else {
            return;
        };
        let bytes = Gossip {
            session_id: id,
            message,
        }
        .encode();
        if bytes.len() > MAX_DATA_LEN {
            warn!(%id, len = bytes.len(), "gossip too large for one frame; dropped");
            return;
        }
        let payload = Bytes::from(bytes);
        for member in &runner.session().committee {
            if *member == self.inner.me {
                continue;
            }
            let msg = NetMessage::Data(Data {
                topic: GOSSIP_TOPIC,
                payload: payload.clone(),
            });
            if let Err(e) = self.inner.net.try_send(&IdentityId(member.0), msg) {
                debug!(%member, error = %e, "gossip not sent");
            }
        }
    }
}
