//! The command line: what the operator types, parsed by clap, dispatched to one module per
//! subcommand. Exit codes: 0 success, 1 runtime failure, 2 bad input (layout, runbook, flags).

mod attach;
mod backfill;
mod check;
mod check_aws;
mod collect;
mod dashboard;
mod demo;
mod demo_live;
mod demo_ready;
mod explain;
mod ready;
mod replay;
mod report;
pub mod serve;
mod sim;
mod speed;
mod summary;
mod summary_send;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::sanitize;

pub use speed::Speed;
pub use summary::summary_of;

#[derive(Debug, Parser)]
#[command(
    name = "warroom",
    version,
    about = "Event-day war-room dashboard for AWS workloads"
)]
pub struct Cli {
    /// Write diagnostics to this file (default: $XDG_STATE_HOME/warroom/warroom.log).
    #[arg(long, global = true, value_name = "FILE")]
    pub log_file: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a layout and the runbook it names, and print what would be watched.
    Check(check::CheckArgs),
    /// Poll AWS headless and record every observation (for a bastion or a systemd service).
    Collect(collect::CollectArgs),
    /// Play the built-in simulated reference event (HYBRID-BTS flash sale).
    Demo(demo::DemoArgs),
    /// Replay a recording.
    Replay(replay::ReplayArgs),
    /// Is the workload ready for the event? The readiness report (`--after`: what is left raised).
    Ready(ready::ReadyArgs),
    /// Open the dashboard live against AWS.
    Watch(watch::WatchArgs),
    /// Join the room a collector serves (`collect --serve`): the shared dashboard.
    Attach(attach::AttachArgs),
    /// Build a recording from CloudWatch history (metrics, alarm state changes).
    Backfill(backfill::BackfillArgs),
    /// Write the post-mortem report of a recording (Markdown, HTML, SVG charts).
    Report(report::ReportArgs),
    /// The leadership summary of a recording at a time; `--send` delivers it.
    Summary(summary::SummaryArgs),
    /// The simulator as an AWS endpoint (`sim serve`).
    Sim(sim::SimArgs),
}

/// A failure with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub(crate) code: u8,
    pub message: String,
}

impl Failure {
    /// Bad input from the operator: a layout, a runbook, a flag, a recording header.
    pub(crate) fn input(message: impl std::fmt::Display) -> Self {
        Failure {
            code: 2,
            message: message.to_string(),
        }
    }

    /// Something went wrong while running.
    pub(crate) fn runtime(message: impl std::fmt::Display) -> Self {
        Failure {
            code: 1,
            message: message.to_string(),
        }
    }

    /// Writing the output failed. A closed pipe (`warroom ... | head`) is not an error: the
    /// reader has what it wanted, so warroom stops quietly.
    pub(crate) fn output(e: &std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure {
                code: 0,
                message: String::new(),
            }
        } else {
            Failure::runtime(format!("cannot write the output: {e}"))
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Check(a) => check::run(&a),
        Command::Collect(a) => collect::run(&a),
        Command::Demo(a) if a.readiness => demo_ready::run(&a),
        Command::Demo(a) => demo::run(&a),
        Command::Replay(a) => replay::run(&a),
        Command::Ready(a) => ready::run(&a),
        Command::Watch(a) => watch::run(&a),
        Command::Attach(a) => attach::run(&a),
        Command::Report(a) => report::run(&a),
        Command::Backfill(a) => backfill::run(&a),
        Command::Summary(a) => summary::run(&a),
        Command::Sim(a) => sim::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) if f.code == 0 => ExitCode::SUCCESS,
        Err(f) => {
            // Messages quote layouts, recordings and AWS replies: stripped of control, escape
            // and bidi characters before they reach the terminal.
            eprintln!("{}", sanitize::strip_lines(f.message.trim_end()));
            tracing::error!(code = f.code, "{}", f.message);
            ExitCode::from(f.code)
        }
    }
}
