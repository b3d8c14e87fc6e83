//! Errors of reading and writing recordings.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: already exists; choose another file or pass --overwrite")]
    Exists { path: PathBuf },
    #[error("{path}:1:1: error: not a warroom recording: {reason}")]
    BadHeader { path: PathBuf, reason: String },
    #[error(
        "{path}:1:1: error: recording format \"{format}\" version {version} is newer than this warroom reads (version {supported}); upgrade warroom"
    )]
    NewerVersion {
        path: PathBuf,
        format: String,
        version: u32,
        supported: u32,
    },
    #[error(
        "{path}: another warroom is writing this recording ({writer}); only one process writes \
         a recording: join its room (`warroom attach {path}`), follow it (`warroom replay \
         --follow {path}`), or record to another file"
    )]
    Busy { path: PathBuf, writer: String },
    #[error(
        "{path}: not a regular file (a symlink, a directory, a device); the writer's lock is \
         never opened through one: remove it, or record to another file"
    )]
    LockNotAFile { path: PathBuf },
    #[error("{path}: cannot serialise event: {source}")]
    Serialise {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

impl RecordError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        RecordError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
