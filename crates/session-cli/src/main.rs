//! `session`: post-quantum keys, encryption and signatures from the shell.

fn main() -> std::process::ExitCode {
    session_cli::main()
}
