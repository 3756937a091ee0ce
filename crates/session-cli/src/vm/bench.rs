//! `session vm bench`: a load generator. It opens sessions for fresh
//! identities, pre-signs every message (so signing is not measured), then
//! sends them from many concurrent HTTP clients and reports throughput and
//! latency percentiles. Each call returns once its block is accepted, so the
//! latency is submit → durable.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::{Value, json};
use session_core::Id;
use session_crypto::Identity;
use session_vm::statement;

use super::client::RpcClient;

/// Options of `session vm bench`.
#[derive(Args, Debug, Clone)]
pub struct BenchArgs {
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// Messages to send in all.
    #[arg(long, default_value_t = 20_000)]
    pub messages: usize,
    /// Distinct senders (each gets its own session with one other person).
    #[arg(long, default_value_t = 16)]
    pub senders: usize,
    /// Ciphertext size in bytes.
    #[arg(long, default_value_t = 1024)]
    pub size: usize,
}

/// What a run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Messages the node accepted.
    pub sent: usize,
    /// Calls that failed (by the first error seen).
    pub failed: usize,
    /// The first failure, if any.
    pub first_error: Option<String>,
    /// Wall time of the sending phase.
    pub elapsed: Duration,
    /// Latency percentiles: p50, p90, p99, max.
    pub latency: [Duration; 4],
}

impl Report {
    /// Accepted messages per second.
    pub fn throughput(&self) -> f64 {
        self.sent as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Runs the load against `url`, writing progress to `progress`.
pub fn run(url: &str, args: &BenchArgs, progress: &mut dyn Write) -> Result<Report> {
    if args.clients == 0 || args.messages == 0 || args.senders == 0 {
        bail!("--clients, --messages and --senders must be at least 1");
    }
    if args.size == 0 {
        bail!("--size must be at least 1 byte");
    }
    let rpc = RpcClient::new(url);
    let info = rpc.call("Info", json!({}))?;
    let chain: Id = info["chainId"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .context("the node's Info has no chainId")?;
    let max_size = info["config"]["maxMessageSize"]
        .as_u64()
        .unwrap_or(u64::MAX);
    if args.size as u64 > max_size {
        bail!(
            "--size {} is over the node's maxMessageSize ({max_size})",
            args.size
        );
    }

    writeln!(progress, "opening {} sessions…", args.senders)?;
    let senders: Vec<Identity> = (0..args.senders).map(|_| Identity::generate()).collect();
    let mut sessions = Vec::with_capacity(args.senders);
    for sender in &senders {
        sessions.push(open_session(&rpc, &chain, sender)?);
    }

    writeln!(
        progress,
        "signing {} messages of {} bytes…",
        args.messages, args.size
    )?;
    let bodies = presign(&chain, &senders, &sessions, args.messages, args.size);

    writeln!(progress, "sending with {} clients…", args.clients)?;
    Ok(send_all(url, &bodies, args.clients))
}

/// Creates a session between `sender` and a fresh peer; returns its ID.
fn open_session(rpc: &RpcClient, chain: &Id, sender: &Identity) -> Result<Id> {
    let peer = Identity::generate();
    let ids = [Id::new(sender.id().0), Id::new(peer.id().0)];
    let stmt = statement::create_session(chain, 0, &ids);
    let r = rpc.call(
        "CreateSession",
        json!({
            "participants": ids.iter().map(Id::to_cb58).collect::<Vec<_>>(),
            "publicKeys": [hex::encode(sender.public().to_bytes()), hex::encode(peer.public().to_bytes())],
            "nonce": 0,
            "signature": hex::encode(sender.sign(&stmt).as_bytes()),
        }),
    )?;
    r["sessionId"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .context("CreateSession returned no sessionId")
}

/// Signs every message on all cores; returns ready request bodies.
fn presign(
    chain: &Id,
    senders: &[Identity],
    sessions: &[Id],
    count: usize,
    size: usize,
) -> Vec<String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = count.div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t * per..((t + 1) * per).min(count))
                        .map(|i| signed_body(chain, senders, sessions, i, size))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("signing threads do not panic"))
            .collect()
    })
}

fn signed_body(chain: &Id, senders: &[Identity], sessions: &[Id], i: usize, size: usize) -> String {
    let who = i % senders.len();
    let sender = Id::new(senders[who].id().0);
    // Distinct bytes per message: identical ones would be refused as replays.
    let mut ciphertext = vec![0xA5; size];
    let tag = (i as u64).to_be_bytes();
    let n = tag.len().min(size);
    ciphertext[..n].copy_from_slice(&tag[tag.len() - n..]);
    let stmt = statement::send_message(chain, &sessions[who], &sender, &ciphertext);
    let signature = senders[who].sign(&stmt);
    json!({
        "jsonrpc": "2.0",
        "id": i,
        "method": "sessionvm.SendMessage",
        "params": {
            "sessionId": sessions[who].to_cb58(),
            "sender": sender.to_cb58(),
            "ciphertext": hex::encode(&ciphertext),
            "signature": hex::encode(signature.as_bytes()),
        }
    })
    .to_string()
}

/// Sends `bodies` from `clients` threads, each with its own keep-alive connection.
fn send_all(url: &str, bodies: &[String], clients: usize) -> Report {
    let next = AtomicUsize::new(0);
    let failures = Mutex::new((0usize, None::<String>));
    let start = Instant::now();
    let mut latencies: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients.min(bodies.len()))
            .map(|_| {
                scope.spawn(|| {
                    let agent = ureq::AgentBuilder::new()
                        .timeout(Duration::from_secs(60))
                        .build();
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(body) = bodies.get(i) else {
                            return mine;
                        };
                        let t = Instant::now();
                        match send_one(&agent, url, body) {
                            Ok(()) => mine.push(t.elapsed()),
                            Err(e) => {
                                let mut f = failures.lock().expect("no thread panics holding it");
                                f.0 += 1;
                                f.1.get_or_insert(e);
                            }
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("client threads do not panic"))
            .collect()
    });
    let elapsed = start.elapsed();
    latencies.sort_unstable();
    let pct = |p: f64| -> Duration {
        if latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i]
    };
    let (failed, first_error) = failures.into_inner().expect("no thread panicked");
    Report {
        sent: latencies.len(),
        failed,
        first_error,
        elapsed,
        latency: [pct(0.50), pct(0.90), pct(0.99), pct(1.0)],
    }
}

fn send_one(agent: &ureq::Agent, url: &str, body: &str) -> std::result::Result<(), String> {
    let resp = agent
        .post(url)
        .set("Content-Type", "application/json")
        .send_string(body)
        .map_err(|e| format!("HTTP: {e}"))?;
    let reply: Value = resp.into_json().map_err(|e| format!("reply: {e}"))?;
    match reply.get("error") {
        None if reply.get("result").is_some() => Ok(()),
        None => Err("reply has neither result nor error".into()),
        Some(e) => Err(format!(
            "{} (code {})",
            e["message"].as_str().unwrap_or("error"),
            e["code"]
        )),
    }
}

/// Prints a report for people.
pub fn print(report: &Report, args: &BenchArgs, out: &mut dyn Write) -> Result<()> {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    writeln!(
        out,
        "sent {} messages of {} bytes with {} clients in {:.2} s: {:.0} msg/s",
        report.sent,
        args.size,
        args.clients,
        report.elapsed.as_secs_f64(),
        report.throughput()
    )?;
    writeln!(
        out,
        "latency (submit → accepted): p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(report.latency[0]),
        ms(report.latency[1]),
        ms(report.latency[2]),
        ms(report.latency[3])
    )?;
    if report.failed > 0 {
        writeln!(
            out,
            "failed: {} (first: {})",
            report.failed,
            report.first_error.as_deref().unwrap_or("?")
        )?;
    }
    Ok(())
}
