//! Reads a recording back: the header first (refused if absent or from a newer major version),
//! then events one line at a time. Torn, garbled and unknown-kind lines are skipped and counted,
//! never fatal: a recording cut by `kill -9` or a full disk still replays.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::model::{Event, FORMAT_NAME, FORMAT_VERSION, Header};

use super::RecordError;

/// What the reader skipped, for the "N lines skipped" message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadStats {
    pub(crate) events: u64,
    /// Lines that were not valid JSON events (torn or garbled).
    pub garbled: u64,
    /// Well-formed lines of an event kind this version does not know (from a newer writer).
    pub unknown_kind: u64,
    /// The last line had no newline: a write cut short. Counted in `garbled` if unparsable.
    pub torn_tail: bool,
    /// The first few problems, as (line number, reason), for the message.
    pub(crate) first_problems: Vec<(u64, String)>,
}

impl ReadStats {
    /// One line for the operator, or None when nothing was skipped.
    pub fn summary(&self) -> Option<String> {
        let skipped = self.garbled + self.unknown_kind;
        if skipped == 0 {
            return None;
        }
        let mut s = format!("skipped {skipped} unreadable line(s)");
        if self.unknown_kind > 0 {
            let _ = write!(s, " ({} of an unknown kind)", self.unknown_kind);
        }
        if let Some((line, why)) = self.first_problems.first() {
            let _ = write!(s, "; first at line {line}: {why}");
        }
        Some(s)
    }

    /// Keeps the reason for one of the first few problems, stripped of control, escape and
    /// bidi characters: it quotes the recording's own bytes and is printed on stderr.
    pub(crate) fn note(&mut self, line: u64, why: &str) {
        if self.first_problems.len() < 5 {
            self.first_problems.push((
                line,
                crate::sanitize::truncate(&crate::sanitize::strip(why), MAX_REASON, "..."),
            ));
        }
    }
}

/// Longest reason kept for a skipped line (a serde message can quote a whole value).
const MAX_REASON: usize = 200;

/// Outcome of parsing one event line.
pub(crate) enum Line {
    Event(Box<Event>),
    Garbled(String),
    UnknownKind(String),
    Blank,
}

pub(crate) fn parse_line(text: &str) -> Line {
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return Line::Blank;
    }
    match serde_json::from_str::<Event>(text) {
        Ok(e) => Line::Event(Box::new(e)),
        Err(err) => {
            // Distinguish a newer writer's event kind from damage: well-formed JSON with an
            // `at` and a `kind` we do not know.
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(text)
                && let Some(kind) = v.get("kind").and_then(|k| k.as_str())
                && v.get("at").is_some()
                && !KNOWN_KINDS.contains(&kind)
            {
                return Line::UnknownKind(format!("unknown event kind \"{kind}\""));
            }
            Line::Garbled(err.to_string())
        }
    }
}

const KNOWN_KINDS: &[&str] = &[
    "metrics",
    "room",
    "target_health",
    "ga_endpoints",
    "waf_sample",
    "alarms",
    "logs",
    "source_status",
    "operator",
    "readiness",
];

/// Parses and checks a header line.
pub fn parse_header(path: &Path, line: &str) -> Result<Header, RecordError> {
    // The reason may quote the file's bytes (a serde message): stripped before any message.
    let bad = |reason: String| RecordError::BadHeader {
        path: path.to_path_buf(),
        reason: crate::sanitize::truncate(&crate::sanitize::strip(&reason), MAX_REASON, "..."),
    };
    let v: serde_json::Value = serde_json::from_str(line.trim_end())
        .map_err(|e| bad(format!("the first line is not JSON ({e})")))?;
    let format = v.get("format").and_then(|f| f.as_str()).unwrap_or_default();
    if format != FORMAT_NAME {
        return Err(bad(format!(
            "expected \"format\": \"{FORMAT_NAME}\" on the first line"
        )));
    }
    let version = v
        .get("version")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if version > u64::from(FORMAT_VERSION) {
        return Err(RecordError::NewerVersion {
            path: path.to_path_buf(),
            format: format.to_string(),
            version: u32::try_from(version).unwrap_or(u32::MAX),
            supported: FORMAT_VERSION,
        });
    }
    serde_json::from_value(v).map_err(|e| bad(format!("header: {e}")))
}

/// Iterates the events of a recording in file order.
pub struct Reader<R = BufReader<File>> {
    input: R,
    line_no: u64,
    buf: Vec<u8>,
    stats: ReadStats,
}

impl Reader {
    /// Opens a recording and reads its header.
    pub fn open(path: &Path) -> Result<(Header, Reader), RecordError> {
        let file = File::open(path).map_err(|e| RecordError::io(path, e))?;
        Reader::from_input(path, BufReader::with_capacity(1 << 16, file))
    }
}

/// Longest line read: 64 MiB, room for a header embedding a layout and a runbook of the
/// largest size `config::read` accepts and for a metrics batch of 500 series over 3 hours.
/// A longer line is skipped (and counted) without being held in memory.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// Reads one line (with its newline) into `buf`, keeping `buf` at most `max` bytes long;
/// returns the bytes read in all (0 at the end of the input) and whether the line's newline was
/// among them (false: the input ended first). The rest of a longer line is read and dropped, so
/// memory stays bounded whatever the input.
pub(crate) fn read_line_bounded(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    let mut total = 0;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok((total, false));
        }
        let (n, done) = match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = max.saturating_sub(buf.len()).min(n);
        buf.extend_from_slice(&chunk[..room]);
        input.consume(n);
        total += n;
        if done {
            return Ok((total, true));
        }
    }
}

impl<R: BufRead> Reader<R> {
    pub(crate) fn from_input(
        path: &Path,
        mut input: R,
    ) -> Result<(Header, Reader<R>), RecordError> {
        let mut bytes = Vec::new();
        let (total, _) = read_line_bounded(&mut input, &mut bytes, MAX_LINE_BYTES)
            .map_err(|e| RecordError::io(path, e))?;
        if total > MAX_LINE_BYTES {
            return Err(RecordError::BadHeader {
                path: PathBuf::from(path),
                reason: format!("the first line is longer than {MAX_LINE_BYTES} bytes"),
            });
        }
        let first = String::from_utf8_lossy(&bytes);
        if first.trim().is_empty() {
            return Err(RecordError::BadHeader {
                path: PathBuf::from(path),
                reason: "the file is empty".into(),
            });
        }
        let header = parse_header(path, &first)?;
        Ok((
            header,
            Reader {
                input,
                line_no: 1,
                buf: Vec::new(),
                stats: ReadStats::default(),
            },
        ))
    }

    pub fn stats(&self) -> &ReadStats {
        &self.stats
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        loop {
            self.buf.clear();
            let total = match read_line_bounded(&mut self.input, &mut self.buf, MAX_LINE_BYTES) {
                Ok((0, _)) => return None,
                Ok((n, _)) => n,
                Err(e) => {
                    self.line_no += 1;
                    self.stats.garbled += 1;
                    self.stats.note(self.line_no, &format!("read error: {e}"));
                    return None;
                }
            };
            self.line_no += 1;
            if total > MAX_LINE_BYTES {
                self.stats.garbled += 1;
                self.stats.note(
                    self.line_no,
                    &format!("a line of {total} bytes, longer than {MAX_LINE_BYTES}"),
                );
                continue;
            }
            let torn = !self.buf.ends_with(b"\n");
            let Ok(text) = std::str::from_utf8(&self.buf) else {
                self.stats.garbled += 1;
                self.stats.torn_tail |= torn;
                self.stats.note(self.line_no, "not UTF-8");
                continue;
            };
            match parse_line(text) {
                Line::Event(e) => {
                    self.stats.events += 1;
                    return Some(*e);
                }
                Line::Blank => {}
                Line::Garbled(why) => {
                    self.stats.garbled += 1;
                    self.stats.torn_tail |= torn;
                    let why = if torn {
                        format!("torn last line ({why})")
                    } else {
                        why
                    };
                    self.stats.note(self.line_no, &why);
                }
                Line::UnknownKind(why) => {
                    self.stats.unknown_kind += 1;
                    self.stats.note(self.line_no, &why);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_longer_than_the_limit_is_measured_not_kept() {
        let text = format!("{}\nnext\n{}", "x".repeat(100), "y".repeat(50));
        let mut input = std::io::BufReader::with_capacity(16, text.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(
            read_line_bounded(&mut input, &mut buf, 10).expect("read"),
            (101, true)
        );
        assert_eq!(buf, b"xxxxxxxxxx", "only the first 10 bytes kept");
        buf.clear();
        assert_eq!(
            read_line_bounded(&mut input, &mut buf, 10).expect("read"),
            (5, true)
        );
        assert_eq!(buf, b"next\n");
        buf.clear();
        assert_eq!(
            read_line_bounded(&mut input, &mut buf, 10).expect("read"),
            (50, false)
        );
        buf.clear();
        assert_eq!(
            read_line_bounded(&mut input, &mut buf, 10).expect("read"),
            (0, false)
        );
    }

    #[test]
    fn a_header_line_without_end_is_refused_without_reading_it_all() {
        // `/dev/zero` as a recording: one endless line.
        let zeros = std::io::Read::take(std::io::repeat(0), (MAX_LINE_BYTES + 1) as u64);
        let input = std::io::BufReader::new(zeros);
        let Err(e) = Reader::from_input(Path::new("zero"), input) else {
            panic!("an endless first line is not a header");
        };
        assert!(e.to_string().contains("longer than"), "{e}");
    }
}
