//! The recording a live session writes: a header saying the observations come from AWS (which
//! accounts, regions and profile; never a secret) with the layout and runbook embedded, created
//! new or, with `--append`, continued after a restart when it was made with the same layout.

use std::io::BufRead;
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::config::layout::Layout;
use crate::model::{EmbeddedFile, FORMAT_NAME, FORMAT_VERSION, Header, Source};
use crate::record::{RecordError, Recorder, parse_header};

/// Why a recording could not be opened for a live session.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Record(#[from] RecordError),
    #[error(
        "{path}: this recording was made with a different layout ({theirs}); \\
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
/// unless `overwrite`).
pub fn open(
    path: &Path,
    header: &Header,
    append: bool,
    overwrite: bool,
) -> Result<Recorder, OpenError> {
    if append && path.exists() {
        let existing = read_header(path)?;
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

fn read_header(path: &Path) -> Result<Header, RecordError> {
    let file = std::fs::File::open(path).map_err(|e| RecordError::io(path, e))?;
    let mut first = String::new();
    std::io::BufReader::new(file)
        .read_line(&mut first)
        .map_err(|e| RecordError::io(path, e))?;
    parse_header(path, &first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, layout};

    fn header(text: &str) -> Header {
        let mut l = layout();
        l.text = text.into();
        aws_header(&l, Some("prod"), at("2026-06-13T11:00:00Z"))
    }

    #[test]
    fn the_header_names_accounts_regions_and_profile() {
        let h = header("x");
        assert_eq!(
            h.source,
            Source::Aws {
                accounts: vec!["main".into()],
                regions: layout().regions(),
                profile: Some("prod".into()),
            }
        );
        assert_eq!(h.layout.text, "x");
    }

    #[test]
    fn append_continues_the_same_layout_and_refuses_another() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.jsonl");
        // Appending to a file that does not exist yet creates it.
        let rec = open(&path, &header("layout A"), true, false).expect("create");
        drop(rec);
        let rec = open(&path, &header("layout A"), true, false).expect("append");
        drop(rec);
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.lines().count(), 1, "one header, not two:\n{text}");
        let Err(err) = open(&path, &header("layout B"), true, false) else {
            panic!("appended to a recording of another layout");
        };
        assert!(err.to_string().contains("different layout"), "{err}");
        // Without --append an existing file is refused.
        let Err(err) = open(&path, &header("layout A"), false, false) else {
            panic!("replaced an existing recording");
        };
        assert!(
            matches!(err, OpenError::Record(RecordError::Exists { .. })),
            "{err}"
        );
    }
}
