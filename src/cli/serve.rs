//! `--serve` and its options, shared by `collect` and `demo`: the room's socket beside the
//! recording (or where asked), its group, and the operators' group (everyone else who can open
//! the socket only watches). Everything that can refuse is checked ([`ServeArgs::prepare`])
//! before the recording is created or replaced. See docs/team.md.

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

/// The room as asked, checked: everything that can refuse (the socket path's length, its
/// directory, what is at the path, the groups) has been looked at, nothing created yet.
#[derive(Debug, Clone)]
pub struct Prepared {
    socket: PathBuf,
    group: Option<host::Gid>,
    operators: Option<host::Gid>,
}

impl ServeArgs {
    /// Checks the room of the recording `recording` before anything is created, truncated or
    /// replaced (the recording included): None without `--serve`.
    pub fn prepare(&self, recording: &Path) -> Result<Option<Prepared>, Failure> {
        if !self.serve {
            return Ok(None);
        }
        let group = |g: &Option<String>| g.as_deref().map(host::group).transpose();
        let socket = self
            .socket
            .clone()
            .unwrap_or_else(|| host::beside(recording));
        let prepared = Prepared {
            group: group(&self.socket_group).map_err(Failure::input)?,
            operators: group(&self.operators_group).map_err(Failure::input)?,
            socket,
        };
        host::check(&prepared.socket).map_err(Failure::input)?;
        Ok(Some(prepared))
    }
}

impl Prepared {
    /// The room of `journal`, whose recording is `recording`, served on `runtime`.
    pub fn host(
        &self,
        runtime: &tokio::runtime::Handle,
        journal: &Journal,
        recording: &Path,
        clock: Option<Clock>,
    ) -> Result<RoomHost, Failure> {
        let (header, _) = Reader::open(recording).map_err(Failure::runtime)?;
        let opts = crate::room::Options {
            socket: self.socket.clone(),
            recording: recording.to_path_buf(),
            header,
            group: self.group,
            operators: self.operators,
            sources: journal
                .fold()
                .board()
                .lines()
                .map(|l| (l.name.clone(), l.credentials.clone()))
                .collect(),
            clock: clock.map(|c| crate::clock::sim::spec(&c)),
        };
        RoomHost::bind(runtime, journal, opts).map_err(Failure::input)
    }
}
