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
