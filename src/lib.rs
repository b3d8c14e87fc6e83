//! warroom: a terminal dashboard for event-day war rooms on AWS. This crate is the binary's
//! library: the command line (`cli`), the dashboard's model sources (`dash`: live pollers,
//! replay), the demo's loopback (the real pollers against the in-process simulator endpoint)
//! and logging. The layers it wires together are crates of their own (docs/architecture.md):
//! `warroom_core` (the log, the fold, judgement, summaries, report), `warroom_aws` (pollers,
//! live sessions, backfill, summary delivery), `warroom_sim` (the simulated world and its AWS
//! endpoint) and `warroom_tui` (the terminal dashboard).

pub mod cli;
pub mod collector;
pub mod dash;
pub mod logging;
pub mod loopback;
pub mod session;

use warroom_aws::{backfill, delivery, live, ready_aws, sources};
use warroom_core::{
    board, builtin, clock, config, eval, journal, model, pipeline, ready, record, report, sanitize,
    source, store, summary, time,
};
use warroom_room as room;
use warroom_sim as sim;
use warroom_tui as tui;
