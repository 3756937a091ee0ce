//! The `session` command line: post-quantum keys, encryption and signatures.
//!
//! Each group of commands lives in its own module with a clap `Subcommand`
//! enum and a `run` function; [`Command`] flattens them into one command
//! line, so adding a group is one variant and one match arm.
//!
//! ```
//! use clap::Parser;
//! use session_cli::{Cli, Command, keys::KeyCommand};
//!
//! let cli = Cli::try_parse_from(["session", "id", "--key", "alice.key"]).unwrap();
//! assert!(matches!(cli.command, Command::Keys(KeyCommand::Id { .. })));
//! // Usage errors are reported by clap (the binary exits with status 2).
//! assert!(Cli::try_parse_from(["session", "encrypt"]).is_err());
//! ```
//!
//! Exit status: 0 on success, [`EXIT_ERROR`] (1) when the operation fails
//! (including an invalid signature), [`EXIT_USAGE`] (2) for usage errors.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod crypt;
pub mod io;
pub mod keys;
pub mod receipt;
pub mod sign;
pub mod vm;

/// Exit status when a command fails.
pub const EXIT_ERROR: u8 = 1;
/// Exit status for a malformed command line.
pub const EXIT_USAGE: u8 = 2;

/// `session`: post-quantum identities, encryption and signatures for Lux Session.
#[derive(Parser, Debug)]
#[command(name = "session", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Every `session` command.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// `keygen`, `id`, `export-public`.
    #[command(flatten)]
    Keys(keys::KeyCommand),
    /// `encrypt`, `decrypt`.
    #[command(flatten)]
    Crypt(crypt::CryptCommand),
    /// `sign`, `verify`.
    #[command(flatten)]
    Sign(sign::SignCommand),
    /// Talk to a SessionVM node: create sessions, send and read messages.
    Vm(vm::VmArgs),
    /// Check sessiond receipts offline.
    #[command(subcommand)]
    Receipt(receipt::ReceiptCommand),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Keys(c) => keys::run(c),
        Command::Crypt(c) => crypt::run(c),
        Command::Sign(c) => sign::run(c),
        Command::Vm(args) => {
            let key = keys::KeyArgs {
                key: args.key.clone(),
            };
            vm::run(args, || key.load_pq())
        }
        Command::Receipt(c) => receipt::run(c, &mut std::io::stdout(), &mut std::io::stderr()),
    }
}

/// The whole program: parse `std::env::args`, run, print errors, choose the
/// exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
