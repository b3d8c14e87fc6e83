//! The recording a live session writes: a header saying the observations come from AWS (which
//! accounts, regions and profile; never a secret) with the layout and runbook embedded, created
//! new or, with `--append`, continued after a restart when it was made with the same layout.

use std::io::BufRead;
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::config::layout::Layout;
use crate::model::{EmbeddedFile, FORMAT_NAME, FORMAT_VERSION, Header, Source};
use crate::record::{Reader, RecordError, Recorder};

/// Why a recording could not be opened for a live session.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Record(#[from] RecordError),
    #[error(
        "{path}: this recording was made with a different layout ({theirs}); \
         record to a new file or use the layout it embeds"
    )]
    OtherLayout { path: String, theirs: String },
    #[error("{path}: this recording is not from AWS ({what}); record to a new file")]
    NotAws { path: String, what: String },
}

/// The header of a live recording starting at `start`.
pub fn aws_header(layout: &Layout, profile: Option<&str>, start: DateTime<Utc>) -> Header {
    Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: format!("warroom {}", env!("CARGO_PKG_VERSION")),
        created: Utc::now(),
        start,
        source: Source::Aws {
            accounts: layout.accounts.iter().map(|a| a.id.clone()).collect(),
            regions: layout.regions(),
            profile: profile.map(str::to_string),
        },
        layout: EmbeddedFile {
            path: layout.path.clone(),
            text: layout.text.clone(),
        },
        runbook: layout.runbook.as_ref().map(|rb| EmbeddedFile {
            path: rb.path.clone(),
            text: rb.text.clone(),
        }),
    }
}

/// Opens the recording: appends to `path` when `append` is set and the file exists (its header
/// must be from AWS with the same layout text), else creates it (refusing to replace a file
/// unless `overwrite`). A header torn by a kill while it was being written (no complete first
/// line, so no event either) is written anew: the recorder's `notice` says so.
pub fn open(
    path: &Path,
    header: &Header,
    append: bool,
    overwrite: bool,
) -> Result<Recorder, OpenError> {
    if append && path.exists() {
        let existing = match read_header(path) {
            Ok(h) => h,
            Err(e) => {
                let Some(torn) = torn_header(path)? else {
                    return Err(e.into());
                };
                let notice = format!(
                    "{}: the header was torn ({torn} bytes, no complete line, no event): \
                     written anew, recording goes on",
                    path.display()
                );
                tracing::warn!("{notice}");
                return Ok(Recorder::create(path, header, true)?.with_notice(notice));
            }
        };
        let shown = path.display().to_string();
        if let Source::Simulator { scenario, .. } = &existing.source {
            return Err(OpenError::NotAws {
                path: shown,
                what: format!("simulated scenario {scenario}"),
            });
        }
        if existing.layout.text != header.layout.text {
            return Err(OpenError::OtherLayout {
                path: shown,
                theirs: existing.layout.path,
            });
        }
        return Ok(Recorder::append(path)?);
    }
    Ok(Recorder::create(path, header, overwrite)?)
}

/// The size of a recording whose header was torn while being written: no newline at all (the
/// header is the first line, so no event follows it) and the bytes are empty or the start of a
/// warroom header. None for anything else, which is never overwritten.
fn torn_header(path: &Path) -> Result<Option<u64>, RecordError> {
    let io = |e| RecordError::io(path, e);
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let mut input = std::io::BufReader::new(file);
    let expected = format!("{{\"format\":\"{FORMAT_NAME}\"");
    let mut start = Vec::with_capacity(expected.len());
    loop {
        let buf = input.fill_buf().map_err(io)?;
        if buf.is_empty() {
            break;
        }
        if buf.contains(&b'\n') {
            return Ok(None);
        }
        let want = expected.len().saturating_sub(start.len()).min(buf.len());
        start.extend_from_slice(&buf[..want]);
        let n = buf.len();
        input.consume(n);
    }
    let ours = expected.as_bytes().starts_with(&start);
    Ok(ours.then_some(size))
}

fn read_header(path: &Path) -> Result<Header, RecordError> {
    Reader::open(path).map(|(header, _)| header)
}

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;
