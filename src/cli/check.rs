//! `warroom check LAYOUT`: validate a layout and its runbook, print what would be watched.

use std::path::PathBuf;

use clap::Args;

use super::Failure;
use crate::config;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The layout file (TOML).
    pub layout: PathBuf,
}

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let layout = config::load(&args.layout).map_err(Failure::input)?;
    print!("{}", config::check_report(&layout));
    Ok(())
}
