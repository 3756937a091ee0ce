//! `session vm …`: a client for a SessionVM node. It builds and signs the
//! statements of the RPC contract, seals message text to every participant
//! and opens what others sent.

pub mod bench;
pub mod bundle;
pub mod client;
pub mod contacts;

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde_json::{Value, json};
use session_core::Id;
use session_crypto::{Identity, IdentityId, PublicIdentity};
use session_vm::statement;

use client::{DEFAULT_URL, RpcClient};
use contacts::Contacts;

/// Options shared by every `vm` command.
#[derive(Args, Debug)]
pub struct VmArgs {
    /// SessionVM JSON-RPC endpoint.
    #[arg(long, env = "SESSIONVM_URL", default_value = DEFAULT_URL, global = true)]
    pub url: String,
    /// Address book: a JSON object mapping names to public identities (hex).
    #[arg(long, env = "SESSION_CONTACTS", global = true)]
    pub contacts: Option<PathBuf>,
    /// Your secret key file (default: $SESSION_KEY, else identity.key in the
    /// user's config directory under lux-session/).
    #[arg(long, value_name = "FILE", env = crate::keys::KEY_ENV, global = true)]
    pub key: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: VmCommand,
}

/// The `vm` commands.
#[derive(Subcommand, Debug)]
pub enum VmCommand {
    /// Show the node's chain, height and parameters.
    Info,
    /// Open a session with other people (you are the creator).
    Create {
        /// A participant: a contact name, a public identity file, its hex, or a 07… ID in your contacts. Repeat for groups.
        #[arg(long = "with", required = true)]
        with: Vec<String>,
        /// Nonce, to open several sessions with the same people (default: the current time in ms).
        #[arg(long)]
        nonce: Option<u64>,
    },
    /// Seal a text to every participant and send it.
    Send {
        /// Session ID.
        session: String,
        /// The message text.
        text: String,
    },
    /// Fetch, verify and decrypt a session's messages.
    Read {
        /// Session ID.
        session: String,
        /// Only messages after this sequence.
        #[arg(long, default_value_t = 0)]
        after: u64,
        /// Keep waiting for new messages.
        #[arg(long)]
        follow: bool,
    },
    /// Acknowledge messages up to a sequence (default: the latest).
    Ack {
        /// Session ID.
        session: String,
        /// Highest sequence to acknowledge.
        #[arg(long)]
        up_to: Option<u64>,
    },
    /// Close a session for everyone.
    Close {
        /// Session ID.
        session: String,
    },
    /// Show a session's participants and status.
    Show {
        /// Session ID.
        session: String,
    },
    /// Load generator: pre-signed messages from many concurrent clients;
    /// reports throughput and latency (uses fresh identities, not your key).
    Bench(bench::BenchArgs),
}

/// Runs a `vm` command; `me` loads the caller's identity when one is needed.
pub fn run(args: VmArgs, me: impl FnOnce() -> Result<Identity>) -> Result<()> {
    let out = &mut std::io::stdout().lock();
    if let VmCommand::Bench(bench_args) = &args.command {
        let report = bench::run(&args.url, bench_args, &mut std::io::stderr())?;
        bench::print(&report, bench_args, out)?;
        if report.failed > 0 {
            bail!("{} of {} calls failed", report.failed, bench_args.messages);
        }
        return Ok(());
    }
    let rpc = RpcClient::new(&args.url);
    let contacts = Contacts::load(args.contacts.as_deref())?;
    match args.command {
        VmCommand::Info => {
            let info = rpc.call("Info", json!({}))?;
            writeln!(out, "{}", serde_json::to_string_pretty(&info)?)?;
        }
        VmCommand::Bench(_) => unreachable!("handled above"),
        VmCommand::Show { session } => {
            let s = get_session(&rpc, &session)?;
            writeln!(out, "{}", serde_json::to_string_pretty(&s)?)?;
        }
        VmCommand::Create { with, nonce } => {
            let me = me()?;
            let chain = chain_id(&rpc)?;
            let mut keys = vec![me.public().clone()];
            for who in &with {
                keys.push(contacts.resolve(who)?);
            }
            let ids: Vec<Id> = keys.iter().map(|k| Id::new(k.id().0)).collect();
            let nonce = nonce.unwrap_or_else(now_millis);
            let sig = me.sign(&statement::create_session(&chain, nonce, &ids));
            let r = rpc.call(
                "CreateSession",
                json!({
                    "participants": ids.iter().map(Id::to_cb58).collect::<Vec<_>>(),
                    "publicKeys": keys.iter().map(|k| hex::encode(k.to_bytes())).collect::<Vec<_>>(),
                    "nonce": nonce,
                    "signature": hex::encode(sig.as_bytes()),
                }),
            )?;
            writeln!(out, "{}", r["sessionId"].as_str().unwrap_or_default())?;
        }
        VmCommand::Send { session, text } => {
            let me = me()?;
            let chain = chain_id(&rpc)?;
            let s = get_session(&rpc, &session)?;
            let sid = parse_session(&session)?;
            let keys = session_keys(&s)?;
            let ct = bundle::seal(&me, &keys, sid.as_bytes(), text.as_bytes())?;
            let sender = Id::new(me.id().0);
            let sig = me.sign(&statement::send_message(&chain, &sid, &sender, &ct));
            let r = rpc.call(
                "SendMessage",
                json!({
                    "sessionId": sid.to_cb58(),
                    "sender": sender.to_cb58(),
                    "ciphertext": hex::encode(&ct),
                    "signature": hex::encode(sig.as_bytes()),
                }),
            )?;
            writeln!(out, "sent #{}", r["sequence"])?;
        }
        VmCommand::Read {
            session,
            after,
            follow,
        } => read(&rpc, &contacts, &me()?, &session, after, follow, out)?,
        VmCommand::Ack { session, up_to } => {
            let me = me()?;
            let chain = chain_id(&rpc)?;
            let sid = parse_session(&session)?;
            let up_to = match up_to {
                Some(n) => n,
                None => get_session(&rpc, &session)?["messageCount"]
                    .as_u64()
                    .unwrap_or(0),
            };
            let sender = Id::new(me.id().0);
            let sig = me.sign(&statement::ack_messages(&chain, &sid, &sender, up_to));
            rpc.call(
                "AckMessages",
                json!({"sessionId": sid.to_cb58(), "sender": sender.to_cb58(), "upTo": up_to,
                       "signature": hex::encode(sig.as_bytes())}),
            )?;
            writeln!(out, "acknowledged up to #{up_to}")?;
        }
        VmCommand::Close { session } => {
            let me = me()?;
            let chain = chain_id(&rpc)?;
            let sid = parse_session(&session)?;
            let sender = Id::new(me.id().0);
            let sig = me.sign(&statement::close_session(&chain, &sid, &sender));
            rpc.call(
                "CloseSession",
                json!({"sessionId": sid.to_cb58(), "sender": sender.to_cb58(),
                       "signature": hex::encode(sig.as_bytes())}),
            )?;
            writeln!(out, "closed")?;
        }
    }
    Ok(())
}

fn read(
    rpc: &RpcClient,
    contacts: &Contacts,
    me: &Identity,
    session: &str,
    mut after: u64,
    follow: bool,
    out: &mut impl Write,
) -> Result<()> {
    let sid = parse_session(session)?;
    let chain = chain_id(rpc)?;
    let s = get_session(rpc, session)?;
    let keys = session_keys(&s)?;
    // Every message is verified twice with its sender's key (the chain's
    // signature and the envelope's): prepare each participant's key once.
    keys.iter().for_each(|k| {
        k.prepare();
    });
    let lookup = |id: &IdentityId| keys.iter().find(|k| k.id() == *id).cloned();
    loop {
        let page = rpc.call(
            "GetMessages",
            json!({"sessionId": sid.to_cb58(), "after": after, "limit": 1000}),
        )?;
        let messages = page["messages"].as_array().cloned().unwrap_or_default();
        for m in &messages {
            let seq = m["sequence"].as_u64().unwrap_or(0);
            let line = match open_message(me, &chain, &sid, m, &lookup) {
                Ok((sender, text)) => format!("[{seq}] {}: {text}", contacts.name_of(&sender)),
                Err(e) => format!("[{seq}] (cannot read: {e})"),
            };
            writeln!(out, "{line}")?;
            after = after.max(seq);
        }
        out.flush()?;
        if !follow {
            return Ok(());
        }
        if messages.is_empty() {
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

/// Verifies a stored message's signature and opens its copy for `me`.
fn open_message(
    me: &Identity,
    chain: &Id,
    sid: &Id,
    m: &Value,
    lookup: &impl Fn(&IdentityId) -> Option<PublicIdentity>,
) -> Result<(IdentityId, String)> {
    let sender: Id = m["sender"].as_str().unwrap_or_default().parse()?;
    let ct = hex::decode(m["ciphertext"].as_str().unwrap_or_default())?;
    let sig = session_crypto::Signature::from_bytes(&hex::decode(
        m["signature"].as_str().unwrap_or_default(),
    )?)?;
    let sender_id = IdentityId(sender.to_bytes());
    let key = lookup(&sender_id).context("sender is not a participant")?;
    key.verify(&statement::send_message(chain, sid, &sender, &ct), &sig)
        .context("the message signature does not verify")?;
    let opened = bundle::open(me, sid.as_bytes(), &ct, lookup)?;
    if opened.sender != sender_id {
        bail!("the sealed sender differs from the signer");
    }
    Ok((
        sender_id,
        String::from_utf8_lossy(&opened.plaintext).into_owned(),
    ))
}

fn chain_id(rpc: &RpcClient) -> Result<Id> {
    let info = rpc.call("Info", json!({}))?;
    info["chainId"]
        .as_str()
        .context("Info has no chainId")?
        .parse()
        .context("bad chainId")
}

fn parse_session(text: &str) -> Result<Id> {
    text.parse()
        .with_context(|| format!("{text:?} is not a session ID (CB58 or 64 hex digits)"))
}

fn get_session(rpc: &RpcClient, session: &str) -> Result<Value> {
    let sid = parse_session(session)?;
    Ok(rpc.call("GetSession", json!({"sessionId": sid.to_cb58()}))?["session"].clone())
}

fn session_keys(s: &Value) -> Result<Vec<PublicIdentity>> {
    s["publicKeys"]
        .as_array()
        .context("session has no publicKeys")?
        .iter()
        .map(|k| {
            let bytes = hex::decode(k.as_str().unwrap_or_default())?;
            Ok(PublicIdentity::from_bytes(&bytes)?)
        })
        .collect()
}

fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
