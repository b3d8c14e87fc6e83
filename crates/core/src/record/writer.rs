//! Appends events to a recording: one JSON line each, flushed after every batch, fsynced after
//! every operator action (facts that must never be lost). Recordings are mode 0600 because WAF
//! samples carry client IPs: created so, and set so when an existing file is replaced
//! (`--overwrite`) or continued (`--append`), whatever mode it had.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The mode of every recording (and of the post-mortem side file).
pub(crate) const RECORDING_MODE: u32 = 0o600;

/// Makes an open recording mode 0600, whatever it was.
fn owner_only(file: &File, path: &Path) -> Result<(), RecordError> {
    file.set_permissions(Permissions::from_mode(RECORDING_MODE))
        .map_err(|e| RecordError::io(path, e))
}

use crate::model::{Event, EventBody, Header};

use super::RecordError;

pub struct Recorder {
    path: PathBuf,
    out: BufWriter<File>,
    events: u64,
    /// This process is the recording's only writer while it holds this.
    _claim: super::Claim,
    /// Something the operator should know about how the file was opened (a torn header
    /// written anew).
    notice: Option<String>,
}

impl Recorder {
    /// Creates a new recording and writes its header durably. Refuses to replace an existing
    /// file unless `overwrite` is set.
    pub fn create(path: &Path, header: &Header, overwrite: bool) -> Result<Self, RecordError> {
        let claim = super::claim::claim(path)?;
        let mut opts = OpenOptions::new();
        opts.write(true).mode(RECORDING_MODE);
        if overwrite {
            opts.create(true).truncate(true);
        } else {
            opts.create_new(true);
        }
        let file = opts.open(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                RecordError::Exists {
                    path: path.to_path_buf(),
                }
            } else {
                RecordError::io(path, e)
            }
        })?;
        owner_only(&file, path)?;
        let mut rec = Recorder {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            events: 0,
            _claim: claim,
            notice: None,
        };
        rec.write_json(header)?;
        rec.sync()?;
        Ok(rec)
    }

    /// Opens an existing recording to append to it (a collector restarting). A torn last line
    /// left by a crash is terminated first so the next event starts on its own line.
    pub fn append(path: &Path) -> Result<Self, RecordError> {
        let claim = super::claim::claim(path)?;
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| RecordError::io(path, e))?;
        owner_only(&file, path)?;
        let torn = last_byte(&file).map_err(|e| RecordError::io(path, e))? != Some(b'\n');
        let empty = file.metadata().map_err(|e| RecordError::io(path, e))?.len() == 0;
        let mut rec = Recorder {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            events: 0,
            _claim: claim,
            notice: None,
        };
        if torn && !empty {
            rec.out
                .write_all(b"\n")
                .map_err(|e| RecordError::io(path, e))?;
            rec.sync()?;
        }
        Ok(rec)
    }

    /// Writes one poll batch and flushes it; fsyncs when the batch holds an operator action.
    pub fn write_batch(&mut self, events: &[Event]) -> Result<(), RecordError> {
        let mut durable = false;
        for e in events {
            self.write_json(e)?;
            durable |= matches!(
                e.body,
                EventBody::Operator(_)
                    | EventBody::Summary(_)
                    | EventBody::SummaryDelivery(_)
                    | EventBody::Readiness(_)
            );
        }
        self.events += events.len() as u64;
        if durable { self.sync() } else { self.flush() }
    }

    /// Writes one event and makes it durable before returning (operator actions, summaries).
    pub fn write_durable(&mut self, event: &Event) -> Result<(), RecordError> {
        self.write_json(event)?;
        self.events += 1;
        self.sync()
    }

    /// The recorder with a notice for the operator.
    #[must_use]
    pub fn with_notice(mut self, notice: String) -> Self {
        self.notice = Some(notice);
        self
    }

    /// What the operator should know about how the file was opened, if anything.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn events_written(&self) -> u64 {
        self.events
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write_json<T: serde::Serialize>(&mut self, value: &T) -> Result<(), RecordError> {
        serde_json::to_writer(&mut self.out, value).map_err(|source| RecordError::Serialise {
            path: self.path.clone(),
            source,
        })?;
        self.out
            .write_all(b"\n")
            .map_err(|e| RecordError::io(&self.path, e))
    }

    fn flush(&mut self) -> Result<(), RecordError> {
        self.out.flush().map_err(|e| RecordError::io(&self.path, e))
    }

    fn sync(&mut self) -> Result<(), RecordError> {
        self.flush()?;
        self.out
            .get_ref()
            .sync_data()
            .map_err(|e| RecordError::io(&self.path, e))
    }
}

/// The last byte of a file (None when it is empty), read without reading the rest.
fn last_byte(mut file: &File) -> std::io::Result<Option<u8>> {
    if file.metadata()?.len() == 0 {
        return Ok(None);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut b = [0u8; 1];
    file.read_exact(&mut b)?;
    Ok(Some(b[0]))
}
