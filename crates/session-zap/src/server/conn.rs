//! One node connection: a reader that never stops draining, one task per
//! request, and a single writer task so each reply frame leaves as one unit.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use futures_util::FutureExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;
use tracing::{debug, info, warn};

use crate::server::Shared;
use crate::server::dispatch::{dispatch, error_frame, finish, unimplemented};
use crate::server::vm::PluginVm;
use crate::wire::{Frame, FrameDecoder, Opcode};

/// Bytes read from the socket at a time (the node's buffers are 64 KiB).
const READ_BUF: usize = 64 * 1024;

/// Replies queued together are written with one call up to this size.
const MAX_BATCH: usize = 256 * 1024;

/// Serves one connection until the node closes it, it breaks the framing,
/// or `stop` turns true.
pub(crate) async fn run<V: PluginVm>(
    vm: Arc<V>,
    stream: TcpStream,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let peer = stream
        .peer_addr()
        .map_or_else(|_| "?".to_owned(), |a| a.to_string());
    info!(%peer, "node connected");
    let _ = stream.set_nodelay(true);
    let (mut rd, wr) = stream.into_split();
    let (tx, rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let writer = tokio::spawn(write_loop(wr, rx));
    let (closed_tx, closed_rx) = watch::channel(false);
    let permits = Arc::new(Semaphore::new(shared.config.max_in_flight.max(1)));
    let mut tasks = JoinSet::new();
    let mut decoder = FrameDecoder::new();
    let mut buf = vec![0u8; READ_BUF];

    'conn: loop {
        tokio::select! {
            _ = stop.wait_for(|s| *s) => {
                debug!(%peer, "server stopping");
                break;
            }
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            read = rd.read(&mut buf) => {
                let n = match read {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) => {
                        debug!(%peer, error = %e, "read failed");
                        break;
                    }
                };
                decoder.feed(&buf[..n]);
                loop {
                    match decoder.next_frame() {
                        Ok(Some(frame)) => {
                            let ctx = Ctx { vm: &vm, tx: &tx, permits: &permits, closed: &closed_rx, shared: &shared };
                            start(ctx, frame, &mut tasks);
                        }
                        Ok(None) => break,
                        Err(e) => {
                            warn!(%peer, error = %e, "closing the connection");
                            break 'conn;
                        }
                    }
                }
            }
        }
    }
    drop(rd);
    // Drop a pending WaitForEvent; let other handlers finish (bounded).
    let _ = closed_tx.send(true);
    let drain = shared.config.drain_timeout;
    let drained =
        tokio::time::timeout(drain, async { while tasks.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        warn!(%peer, left = tasks.len(), "abandoning handlers after {drain:?}");
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }
    drop(tx);
    let mut writer = writer;
    if tokio::time::timeout(drain, &mut writer).await.is_err() {
        writer.abort();
    }
    if decoder.dropped_frames() > 0 {
        debug!(%peer, dropped = decoder.dropped_frames(), "frames with len < 4 were dropped");
    }
    info!(%peer, "connection closed");
}

/// What a request task needs from its connection.
struct Ctx<'a, V> {
    vm: &'a Arc<V>,
    tx: &'a mpsc::UnboundedSender<Vec<u8>>,
    permits: &'a Arc<Semaphore>,
    closed: &'a watch::Receiver<bool>,
    shared: &'a Arc<Shared>,
}

/// Answers at once what needs no VM, else spawns a task for the request.
fn start<V: PluginVm>(ctx: Ctx<'_, V>, frame: Frame, tasks: &mut JoinSet<()>) {
    let Frame {
        type_byte,
        request_id,
        body,
    } = frame;
    if frame_is_reply(type_byte) {
        debug!(type_byte, request_id, "ignoring a reply-typed frame");
        return;
    }
    let Some(op) = Opcode::from_u8(type_byte) else {
        let _ = ctx.tx.send(error_frame(
            type_byte,
            request_id,
            &unimplemented(type_byte),
        ));
        return;
    };
    let Ok(permit) = ctx.permits.clone().try_acquire_owned() else {
        warn!(%op, "too many requests in flight; refusing one");
        let _ = ctx.tx.send(error_frame(
            type_byte,
            request_id,
            "too many requests in flight",
        ));
        return;
    };
    let vm = ctx.vm.clone();
    let tx = ctx.tx.clone();
    let closed = ctx.closed.clone();
    let shared = ctx.shared.clone();
    tasks.spawn(async move {
        let _permit = permit;
        if op == Opcode::Shutdown {
            shared.shutdown_called.store(true, Ordering::SeqCst);
        }
        let outcome = AssertUnwindSafe(dispatch(&*vm, op, &body, closed))
            .catch_unwind()
            .await;
        let outcome = match outcome {
            Ok(Some(outcome)) => outcome,
            Ok(None) => return,
            Err(payload) => {
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                warn!(%op, panic = %msg, "handler panicked");
                Err(format!("{} handler panicked", op.name()))
            }
        };
        if let Err(text) = &outcome {
            debug!(%op, request_id, error = %text, "error reply");
        }
        let _ = tx.send(finish(type_byte, request_id, outcome));
        if op == Opcode::Shutdown {
            shared.shutdown_answered.store(true, Ordering::SeqCst);
        }
    });
}

fn frame_is_reply(type_byte: u8) -> bool {
    type_byte & crate::wire::REPLY_FLAG != 0
}

/// Writes queued reply frames, coalescing what is already waiting.
async fn write_loop(mut wr: OwnedWriteHalf, mut rx: mpsc::UnboundedReceiver<Vec<u8>>) {
    let mut batch = Vec::new();
    while let Some(first) = rx.recv().await {
        let written = match rx.try_recv() {
            Err(_) => wr.write_all(&first).await,
            Ok(second) => {
                batch.clear();
                batch.extend_from_slice(&first);
                batch.extend_from_slice(&second);
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(frame) => batch.extend_from_slice(&frame),
                        Err(_) => break,
                    }
                }
                let r = wr.write_all(&batch).await;
                if batch.capacity() > 4 * MAX_BATCH {
                    batch = Vec::new();
                }
                r
            }
        };
        if let Err(e) = written {
            debug!(error = %e, "write failed; dropping further replies");
            break;
        }
    }
    let _ = wr.shutdown().await;
}
