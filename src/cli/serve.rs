//! `--serve` and its options, shared by `collect` and `demo`: the room's socket beside the
//! recording (or where asked), its group, and the operators' group (everyone else who can open
//! the socket only watches). See docs/team.md.

use std::path::{Path, PathBuf};

use clap::Args;

use super::Failure;
use crate::clock::Clock;
use crate::journal::Journal;
use crate::record::Reader;
use crate::room::host::{self, RoomHost};

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Serve the room on a Unix socket: operators attach with `warroom attach` (docs/team.md).
    #[arg(long)]
    pub(crate) serve: bool,
    /// The room's socket (default: beside the recording, `<FILE>.sock`).
    #[arg(long, value_name = "PATH", requires = "serve")]
    pub(crate) socket: Option<PathBuf>,
    /// The socket's group: mode 0660 (default: 0600, your user only).
    #[arg(long, value_name = "GROUP", requires = "serve")]
    pub(crate) socket_group: Option<String>,
    /// Only members of this group may act; everyone else who can open the socket watches.
    #[arg(long, value_name = "GROUP", requires = "serve")]
    pub(crate) operators_group: Option<String>,
}

impl ServeArgs {
    /// The room of `journal`, whose recording is `recording`, served on `runtime`; None without
    /// `--serve`.
    pub fn host(
        &self,
        runtime: &tokio::runtime::Handle,
        journal: &Journal,
        recording: &Path,
        clock: Option<Clock>,
    ) -> Result<Option<RoomHost>, Failure> {
        if !self.serve {
            return Ok(None);
        }
        let group = |g: &Option<String>| g.as_deref().map(host::group).transpose();
        let (header, _) = Reader::open(recording).map_err(Failure::runtime)?;
        let opts = crate::room::Options {
            socket: self
                .socket
                .clone()
                .unwrap_or_else(|| host::beside(recording)),
            recording: recording.to_path_buf(),
            header,
            group: group(&self.socket_group).map_err(Failure::input)?,
            operators: group(&self.operators_group).map_err(Failure::input)?,
            sources: journal
                .fold()
                .board()
                .lines()
                .map(|l| (l.name.clone(), l.credentials.clone()))
                .collect(),
            clock: clock.map(|c| crate::clock::sim::spec(&c)),
        };
        RoomHost::bind(runtime, journal, opts)
            .map(Some)
            .map_err(Failure::input)
    }
}
