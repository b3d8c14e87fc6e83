//! `warroom check LAYOUT`: validate a layout and its runbook, print what would be watched.
//! With `--aws`, also resolve every resource in AWS (see `check_aws`).

use std::path::PathBuf;

use clap::Args;

use super::Failure;
use crate::config;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The layout file (TOML).
    pub(crate) layout: PathBuf,
    /// Also look every resource up in AWS and print the call budget and cost.
    #[arg(long)]
    pub(crate) aws: bool,
    /// AWS profile for --aws (default: the layout account's profile, else the default chain).
    #[arg(long, value_name = "NAME", requires = "aws")]
    pub(crate) profile: Option<String>,
}

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let layout = config::load(&args.layout).map_err(Failure::input)?;
    print!("{}", config::check_report(&layout));
    if args.aws {
        println!();
        return super::check_aws::run(&layout, args.profile.as_deref());
    }
    Ok(())
}
