//! Tails a recording another process is writing (a viewer following a collector): returns the
//! complete lines that appeared since the last poll and keeps a partial last line for later.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::model::{Event, Header};

use super::RecordError;
use super::reader::{Line, ReadStats, parse_header, parse_line};

pub struct Follower {
    path: PathBuf,
    file: File,
    offset: u64,
    pending: Vec<u8>,
    line_no: u64,
    stats: ReadStats,
}

impl Follower {
    /// Opens the recording, reads the header, and positions after it.
    pub fn open(path: &Path) -> Result<(Header, Follower), RecordError> {
        let file = File::open(path).map_err(|e| RecordError::io(path, e))?;
        let mut f = Follower {
            path: path.to_path_buf(),
            file,
            offset: 0,
            pending: Vec::new(),
            line_no: 0,
            stats: ReadStats::default(),
        };
        let mut lines = f.read_new_lines()?;
        if lines.is_empty() {
            return Err(RecordError::BadHeader {
                path: path.to_path_buf(),
                reason: "no complete header line yet".into(),
            });
        }
        let first = lines.remove(0);
        let header = parse_header(path, &first)?;
        // Lines that arrived together with the header are kept for the first poll.
        f.pending = lines
            .into_iter()
            .flat_map(|l| (l + "\n").into_bytes())
            .chain(f.pending)
            .collect();
        Ok((header, f))
    }

    /// Events completed since the last call, in file order.
    pub fn poll(&mut self) -> Result<Vec<Event>, RecordError> {
        let mut out = Vec::new();
        for line in self.read_new_lines()? {
            self.line_no += 1;
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

    fn read_new_lines(&mut self) -> Result<Vec<String>, RecordError> {
        let io = |e| RecordError::io(&self.path, e);
        self.file.seek(SeekFrom::Start(self.offset)).map_err(io)?;
        let mut fresh = Vec::new();
        self.file
            .read_to_end(&mut fresh)
            .map_err(|e| RecordError::io(&self.path, e))?;
        self.offset += fresh.len() as u64;
        self.pending.extend_from_slice(&fresh);
        let mut lines = Vec::new();
        while let Some(pos) = self.pending.iter().position(|b| *b == b'\n') {
            let rest = self.pending.split_off(pos + 1);
            let line = std::mem::replace(&mut self.pending, rest);
            lines.push(String::from_utf8_lossy(&line).into_owned());
        }
        Ok(lines)
    }
}
