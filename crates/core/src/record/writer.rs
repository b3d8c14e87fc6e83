//! Appends events to a recording: one JSON line each, flushed after every batch, fsynced after
//! every operator action (facts that must never be lost). Files are created with mode 0600 because
//! WAF samples carry client IPs.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::model::{Event, EventBody, Header};

use super::RecordError;

pub struct Recorder {
    path: PathBuf,
    out: BufWriter<File>,
    events: u64,
    /// This process is the recording's only writer while it holds this.
    _claim: super::Claim,
}

impl Recorder {
    /// Creates a new recording and writes its header durably. Refuses to replace an existing
    /// file unless `overwrite` is set.
    pub fn create(path: &Path, header: &Header, overwrite: bool) -> Result<Self, RecordError> {
        let claim = super::claim::claim(path)?;
        let mut opts = OpenOptions::new();
        opts.write(true).mode(0o600);
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
        let mut rec = Recorder {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            events: 0,
            _claim: claim,
        };
        rec.write_json(header)?;
        rec.sync()?;
        Ok(rec)
    }

    /// Opens an existing recording to append to it (a collector restarting). A torn last line
    /// left by a crash is terminated first so the next event starts on its own line.
    pub fn append(path: &Path) -> Result<Self, RecordError> {
        let claim = super::claim::claim(path)?;
        let bytes = std::fs::read(path).map_err(|e| RecordError::io(path, e))?;
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| RecordError::io(path, e))?;
        let mut rec = Recorder {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            events: 0,
            _claim: claim,
        };
        if bytes.last().is_some_and(|b| *b != b'\n') {
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
