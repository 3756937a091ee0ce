//! `session receipt verify`: checks a sessiond receipts document offline —
//! every receipt's signature and Merkle inclusion proof, and the committee's
//! quorum certificate over the session's output, oracle root and receipts
//! root — optionally against committee identities you trust.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use session_core::{Id, node_id};
use session_crypto::PublicKey;

use crate::io::public_key_arg;

/// The `receipt` commands.
#[derive(Subcommand, Debug)]
pub enum ReceiptCommand {
    /// Verify a receipts document (`GET /v1/sessions/{id}/receipts` of sessiond).
    Verify {
        /// The document (JSON).
        file: PathBuf,
        /// A committee member's public identity (file or hex) you trust; repeat for
        /// each. With these, the document's committee must be exactly them;
        /// without, the committee named in the document is taken as given.
        #[arg(long = "committee", value_name = "PUBLIC")]
        committee: Vec<String>,
    },
}

/// Runs a `receipt` command. An invalid document is an error (exit 1).
pub fn run(command: ReceiptCommand, out: &mut dyn Write, err: &mut dyn Write) -> Result<()> {
    let ReceiptCommand::Verify { file, committee } = command;
    let text = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let doc: serde_json::Value =
        serde_json::from_slice(&text).with_context(|| format!("{} is not JSON", file.display()))?;
    let summary = session_daemon::verify::verify_receipts_document(&doc)
        .map_err(|e| anyhow::anyhow!("receipts NOT valid: {e}"))?;
    if committee.is_empty() {
        writeln!(
            err,
            "note: the committee was taken from the document; pass --committee to pin it"
        )?;
    } else {
        let trusted = committee
            .iter()
            .map(|arg| match public_key_arg(arg)? {
                PublicKey::Pq(p) => Ok(node_id(&p)),
                PublicKey::Legacy(_) => bail!("{arg}: committee members have 07 identities"),
            })
            .collect::<Result<BTreeSet<Id>>>()?;
        let listed = doc["committee"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str()?.parse::<Id>().ok())
            .collect::<BTreeSet<Id>>();
        if trusted != listed {
            bail!("receipts NOT valid: the document's committee is not the one you trust");
        }
    }
    writeln!(
        out,
        "valid: session {} — {} receipts under root {}, certificate signed by {} of {} members",
        summary.session_id,
        summary.receipts,
        summary.receipts_root,
        summary.signers,
        summary.committee
    )?;
    Ok(())
}
