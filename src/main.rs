//! The `warroom` binary: cli -> logging -> dispatch. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use warroom::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    warroom::logging::init(cli.log_file.as_deref());
    run(cli)
}
