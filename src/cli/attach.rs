//! `warroom attach TARGET`: this operator's screen in the room a collector serves (`collect
//! --serve`, `demo --serve`): the whole dashboard at once, caught up from the room's log, then
//! live; actions go to the collector, which writes them and shows them on every screen. TARGET is
//! the room's socket, or the recording it serves (its socket is `<recording>.sock`); over SSH,
//! forward the socket (docs/team.md).

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::Failure;
use crate::dash::AttachSource;
use crate::room::host::beside;
use crate::room::{Link, LinkOptions};
use crate::tui::InputMode;

/// How long the first connection waits for the room's welcome.
const WELCOME_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, Args)]
pub struct AttachArgs {
    /// The room's socket, or the recording the room serves.
    pub(crate) target: PathBuf,
    /// The name shown in the room and written with your actions (default: $USER).
    #[arg(long, value_name = "NAME")]
    pub(crate) operator: Option<String>,
    /// Watch only: a wall display, a leader's laptop. Nothing you type is sent.
    #[arg(long)]
    pub(crate) read_only: bool,
    /// Plain ASCII borders and symbols.
    #[arg(long)]
    pub(crate) ascii: bool,
}

/// The socket of `target`: itself when it is a socket, else the one beside the recording.
fn socket_of(target: &std::path::Path) -> PathBuf {
    let is_socket = std::fs::metadata(target)
        .is_ok_and(|m| std::os::unix::fs::FileTypeExt::is_socket(&m.file_type()));
    if is_socket {
        target.to_path_buf()
    } else {
        beside(target)
    }
}

pub fn run(args: &AttachArgs) -> Result<(), Failure> {
    super::dashboard::require_terminal("attach")?;
    let socket = socket_of(&args.target);
    let operator = crate::dash::operator_name(args.operator.as_deref());
    let opts = LinkOptions {
        socket: socket.clone(),
        operator,
        read_only: args.read_only,
    };
    let (link, welcome) = Link::open(opts, WELCOME_WAIT).map_err(|e| {
        Failure::runtime(format!(
            "{e}\n(is `warroom collect --serve` running there? see docs/team.md)"
        ))
    })?;
    tracing::info!(socket = %socket.display(), conn = welcome.conn, "attached to the room");
    let mut source =
        AttachSource::new(link, &welcome, socket.display().to_string()).map_err(Failure::input)?;
    let read_only = source.read_only();
    super::dashboard::open_as(&mut source, InputMode::Live, args.ascii, read_only)
}
