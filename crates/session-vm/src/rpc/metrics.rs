//! Prometheus counters for `GET /metrics`.

use std::collections::BTreeMap;
use std::fmt::Write;

use parking_lot::Mutex;

use crate::chain::Chain;

/// Request counters by method and by error code.
#[derive(Debug, Default)]
pub struct Metrics {
    calls: Mutex<BTreeMap<(String, i64), u64>>,
}

/// Methods named in metrics; anything else is counted as `other`.
const METHODS: [&str; 8] = [
    "sessionvm.Info",
    "sessionvm.Health",
    "sessionvm.CreateSession",
    "sessionvm.GetSession",
    "sessionvm.SendMessage",
    "sessionvm.GetMessages",
    "sessionvm.AckMessages",
    "sessionvm.CloseSession",
];

impl Metrics {
    /// Counts one call; `code` is the error code, if it failed.
    pub fn record_call(&self, method: &str, code: Option<i64>) {
        // Never let callers grow the label set: unknown names share one label.
        let method = METHODS
            .iter()
            .find(|m| **m == method)
            .copied()
            .unwrap_or("other");
        *self
            .calls
            .lock()
            .entry((method.to_owned(), code.unwrap_or(0)))
            .or_default() += 1;
    }

    /// Renders the Prometheus text format.
    pub fn render(&self, chain: &Chain) -> String {
        let mut out = String::new();
        out.push_str("# HELP sessionvm_rpc_calls_total JSON-RPC calls by method and result code (0 = success).\n");
        out.push_str("# TYPE sessionvm_rpc_calls_total counter\n");
        for ((method, code), n) in self.calls.lock().iter() {
            let _ = writeln!(
                out,
                "sessionvm_rpc_calls_total{{method=\"{method}\",code=\"{code}\"}} {n}"
            );
        }
        let tip = chain.tip();
        let counters = chain.reader().counters().unwrap_or_default();
        let gauges = [
            (
                "sessionvm_height",
                "Height of the last accepted block.",
                tip.height,
            ),
            (
                "sessionvm_block_timestamp_seconds",
                "Time of the last accepted block.",
                tip.timestamp,
            ),
            (
                "sessionvm_mempool_transactions",
                "Transactions waiting for a block.",
                chain.pending_count() as u64,
            ),
            (
                "sessionvm_open_sessions",
                "Sessions neither closed nor expired.",
                counters.open_sessions,
            ),
            (
                "sessionvm_stored_messages",
                "Messages stored (not pruned).",
                counters.messages,
            ),
        ];
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}
