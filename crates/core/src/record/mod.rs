//! The recording: the event log on disk as JSON Lines, a header line then one event per line.
//! The writer is the only thing that appends; the reader and the follower turn a file back into
//! events for replay, reports and viewers. Format reference: docs/event-log.md.

mod claim;
mod error;
mod follow;
pub mod live;
pub mod postmortem;
mod reader;
mod writer;

pub use claim::{Claim, lock_path};
pub use error::RecordError;
pub use follow::Follower;
pub use reader::{MAX_LINE_BYTES, ReadStats, Reader, parse_header};
pub use writer::Recorder;
