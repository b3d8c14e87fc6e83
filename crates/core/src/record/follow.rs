//! Tails a recording another process is writing (a viewer following a collector): returns the
//! complete lines that appeared since the last poll and keeps a partial last line for later,
//! bounded like the reader's lines ([`MAX_LINE_BYTES`]): a longer line is skipped and counted.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use crate::model::{Event, Header};

use super::RecordError;
use super::reader::{Line, MAX_LINE_BYTES, ReadStats, parse_header, parse_line, read_line_bounded};

pub struct Follower {
    path: PathBuf,
    file: BufReader<File>,
    /// The line being written: its first [`MAX_LINE_BYTES`] bytes at most.
    pending: Vec<u8>,
    /// How many bytes of that line were read in all.
    pending_total: usize,
    line_no: u64,
    stats: ReadStats,
}

/// One line the writer finished: its text, or its length when longer than the limit.
enum Finished {
    Text(String),
    TooLong(usize),
}

impl Follower {
    /// Opens the recording, reads the header, and positions after it.
    pub fn open(path: &Path) -> Result<(Header, Follower), RecordError> {
        let file = File::open(path).map_err(|e| RecordError::io(path, e))?;
        let mut f = Follower {
            path: path.to_path_buf(),
            file: BufReader::with_capacity(1 << 16, file),
            pending: Vec::new(),
            pending_total: 0,
            line_no: 0,
            stats: ReadStats::default(),
        };
        let first = match f.next_line()? {
            Some(Finished::Text(line)) => line,
            Some(Finished::TooLong(n)) => {
                return Err(RecordError::BadHeader {
                    path: path.to_path_buf(),
                    reason: format!("the first line is {n} bytes, longer than {MAX_LINE_BYTES}"),
                });
            }
            None => {
                return Err(RecordError::BadHeader {
                    path: path.to_path_buf(),
                    reason: "no complete header line yet".into(),
                });
            }
        };
        let header = parse_header(path, &first)?;
        Ok((header, f))
    }

    /// Events completed since the last call, in file order.
    pub fn poll(&mut self) -> Result<Vec<Event>, RecordError> {
        let mut out = Vec::new();
        while let Some(line) = self.next_line()? {
            self.line_no += 1;
            let line = match line {
                Finished::Text(line) => line,
                Finished::TooLong(n) => {
                    self.stats.garbled += 1;
                    let why = format!("a line of {n} bytes, longer than {MAX_LINE_BYTES}");
                    self.stats.note(self.line_no + 1, &why);
                    continue;
                }
            };
            match parse_line(&line) {
                Line::Event(e) => {
                    self.stats.events += 1;
                    out.push(*e);
                }
                Line::Blank => {}
                Line::Garbled(why) | Line::UnknownKind(why) => {
                    self.stats.garbled += 1;
                    self.stats.note(self.line_no + 1, &why);
                }
            }
        }
        Ok(out)
    }

    pub fn stats(&self) -> &ReadStats {
        &self.stats
    }

    /// The next line the writer finished, or None when the file ends before a newline (the
    /// partial line stays for the next call; the file's new bytes are read then).
    fn next_line(&mut self) -> Result<Option<Finished>, RecordError> {
        let (n, ended) = read_line_bounded(&mut self.file, &mut self.pending, MAX_LINE_BYTES)
            .map_err(|e| RecordError::io(&self.path, e))?;
        self.pending_total += n;
        if !ended {
            return Ok(None);
        }
        let total = std::mem::take(&mut self.pending_total);
        let bytes = std::mem::take(&mut self.pending);
        Ok(Some(if total > MAX_LINE_BYTES {
            Finished::TooLong(total)
        } else {
            Finished::Text(String::from_utf8_lossy(&bytes).into_owned())
        }))
    }

    /// Bytes held for the line being written (at most [`MAX_LINE_BYTES`]).
    pub fn pending_bytes(&self) -> usize {
        self.pending.len()
    }
}
