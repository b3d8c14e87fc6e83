//! The room's wire: newline-delimited JSON between the collector and each screen, carrying the
//! log's own types (the recording's events, inside the journal's steps; operator requests).
//! A screen says hello with where its copy of the log ends; the collector welcomes it with the
//! log's header, sends what it lacks, then every step as the journal takes it. Versioned by
//! [`PROTOCOL`]; lines are bounded both ways.

use std::io;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use warroom_core::journal::{Request, Step};
use warroom_core::model::Header;

/// The protocol version both ends speak.
pub(crate) const PROTOCOL: u32 = 1;
/// Longest line a screen may send (a hello, an operator request).
pub(crate) const MAX_REQUEST_LINE: usize = 64 * 1024;
/// Longest line a screen accepts (a step: a session's first metrics batch brings three hours of
/// every series).
pub(crate) const MAX_STEP_LINE: usize = 64 * 1024 * 1024;

/// A screen to the collector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ToRoom {
    Hello(Hello),
    /// An operator request; answered by [`FromRoom::Answer`] with the same `id`.
    Ask {
        id: u64,
        request: Request,
    },
    /// The screen closes (the operator quit): it left, it did not lose its link.
    Bye,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Hello {
    pub(crate) protocol: u32,
    /// The name the operator gives (`--operator`, else their login).
    pub(crate) operator: String,
    /// This screen only watches (`attach --read-only`).
    #[serde(default)]
    pub(crate) read_only: bool,
    /// The log this screen already holds, and how many of its events.
    #[serde(default)]
    pub(crate) have: Option<Have>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Have {
    pub(crate) log: String,
    pub(crate) events: u64,
}

/// The collector to a screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FromRoom {
    Welcome(Box<Welcome>),
    /// One step of the journal: the events that follow, or an evaluation.
    Step(Step),
    /// The answer to an [`ToRoom::Ask`]: done, or refused and why (nothing was written).
    Answer {
        id: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refused: Option<String>,
    },
    /// The collector closes this link, saying why (it stops; the screen fell behind).
    Bye {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    pub(crate) protocol: u32,
    /// Which log this is: a screen holding another one starts over.
    pub log: String,
    /// The recording's header: the layout and runbook as used.
    pub header: Header,
    /// The position of the first event sent next: the screen's `have`, or 0 to start over.
    pub from: u64,
    /// The screen may only watch.
    pub read_only: bool,
    /// This screen's connection, and the Unix account the collector sees it as.
    pub conn: u64,
    pub(crate) user: String,
    /// The sources the collector polls, with whose credentials.
    pub sources: Vec<(String, String)>,
    /// Where the room's summaries go (the collector's sinks), named when a screen sends one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<String>,
    /// A game day's virtual clock (`SPEED,VIRTUAL,REAL`), when the room runs on one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<String>,
}

/// A log's identity, from its header: the time it was created and its first event's time.
pub(crate) fn log_id(h: &Header) -> String {
    format!("{}/{}", h.created.to_rfc3339(), h.start.to_rfc3339())
}

/// One JSON line of `value`.
pub(crate) fn line<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string(value).unwrap_or_default();
    s.push('\n');
    s
}

/// Why a line could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum LineError {
    #[error("the link closed")]
    Closed,
    #[error("a line longer than {0} bytes")]
    TooLong(usize),
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("not a message of this protocol ({0})")]
    Garbled(String),
    #[error("a line took longer than {} s to arrive", .0.as_secs())]
    Slow(Duration),
}

/// Longest description of a line that does not parse: the parser's words, which may quote the
/// line, stripped and cut (a screen's bytes never reach the log or a terminal unbounded).
pub(crate) const GARBLED_MAX: usize = 120;

impl From<serde_json::Error> for LineError {
    fn from(e: serde_json::Error) -> Self {
        LineError::Garbled(warroom_core::journal::clean(&e.to_string(), GARBLED_MAX))
    }
}

/// Reads one line of at most `max` bytes into `buf`, without ever buffering more than that.
/// Safe to cancel (a `select!` branch): what was read of a line stays in `buf` and the next
/// call goes on from there; the caller clears `buf` once it took the line.
pub(crate) async fn read_line<R: AsyncBufRead + Unpin>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> Result<(), LineError> {
    if buf.last() == Some(&b'\n') {
        buf.clear();
    }
    loop {
        let available = r.fill_buf().await?;
        if available.is_empty() {
            return Err(LineError::Closed);
        }
        let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        if buf.len() + chunk.len() > max {
            buf.clear();
            return Err(LineError::TooLong(max));
        }
        buf.extend_from_slice(chunk);
        let n = chunk.len();
        r.consume(n);
        if done {
            return Ok(());
        }
    }
}

/// Reads and parses one message.
pub(crate) async fn read<R, T>(r: &mut R, buf: &mut Vec<u8>, max: usize) -> Result<T, LineError>
where
    R: AsyncBufRead + Unpin,
    T: for<'de> Deserialize<'de>,
{
    read_line(r, buf, max).await?;
    let msg = serde_json::from_slice(buf);
    buf.clear();
    Ok(msg?)
}

/// A screen's lines as the collector reads them: bounded, and once a line has begun the rest
/// must come within a deadline (a screen trickling a line never holds its place for long).
/// Safe to cancel: what was read of a line, and when it began, stay for the next call.
#[derive(Debug, Default)]
pub(crate) struct Frames {
    buf: Vec<u8>,
    began: Option<tokio::time::Instant>,
}

impl Frames {
    /// The next message: at most `max` bytes, its rest within `within` of its first byte.
    pub(crate) async fn next<R, T>(
        &mut self,
        r: &mut R,
        max: usize,
        within: Duration,
    ) -> Result<T, LineError>
    where
        R: AsyncBufRead + Unpin,
        T: for<'de> Deserialize<'de>,
    {
        loop {
            let available = match self.began {
                Some(t) => tokio::time::timeout_at(t + within, r.fill_buf())
                    .await
                    .map_err(|_| LineError::Slow(within))??,
                None => r.fill_buf().await?,
            };
            if available.is_empty() {
                return Err(LineError::Closed);
            }
            let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
                Some(i) => (&available[..=i], true),
                None => (available, false),
            };
            if self.buf.len() + chunk.len() > max {
                self.reset();
                return Err(LineError::TooLong(max));
            }
            self.buf.extend_from_slice(chunk);
            let n = chunk.len();
            r.consume(n);
            if self.began.is_none() {
                self.began = Some(tokio::time::Instant::now());
            }
            if done {
                let msg = serde_json::from_slice(&self.buf);
                self.reset();
                return Ok(msg?);
            }
        }
    }

    /// Forgets the line begun; gives its memory back when it was large.
    fn reset(&mut self) {
        self.buf.clear();
        if self.buf.capacity() > 4096 {
            self.buf = Vec::new();
        }
        self.began = None;
    }
}

/// Writes one message as a line.
pub(crate) async fn write<W: AsyncWrite + Unpin, T: Serialize>(
    w: &mut W,
    value: &T,
) -> io::Result<()> {
    w.write_all(line(value).as_bytes()).await?;
    w.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use warroom_core::model::OperatorAction;

    #[tokio::test]
    async fn a_line_over_the_limit_is_refused_without_reading_it_all() {
        let data = vec![b'x'; 10_000];
        let mut r = tokio::io::BufReader::with_capacity(64, &data[..]);
        let mut buf = Vec::new();
        let got = read_line(&mut r, &mut buf, 1000).await;
        assert!(matches!(got, Err(LineError::TooLong(1000))), "{got:?}");
        assert!(buf.len() <= 1000);
    }

    #[tokio::test]
    async fn messages_round_trip_as_lines() {
        let ask = ToRoom::Ask {
            id: 7,
            request: Request::Act(OperatorAction::RunbookAck {
                step: "RB-03".into(),
            }),
        };
        let text = line(&ask);
        assert!(text.ends_with('\n') && !text[..text.len() - 1].contains('\n'));
        let mut r = tokio::io::BufReader::new(text.as_bytes());
        let mut buf = Vec::new();
        let back: ToRoom = read(&mut r, &mut buf, MAX_REQUEST_LINE)
            .await
            .expect("parses");
        assert_eq!(back, ask);
        let again: Result<ToRoom, _> = read(&mut r, &mut buf, MAX_REQUEST_LINE).await;
        assert!(matches!(again, Err(LineError::Closed)));
    }

    #[tokio::test]
    async fn a_float_reads_back_as_the_very_value_written() {
        // Without serde_json's float_roundtrip this one reads back one unit in the last place
        // off, so a screen caught up over the wire would differ from the recording.
        let point = warroom_core::model::Point {
            ts: chrono::DateTime::UNIX_EPOCH,
            v: 105.004_557_222_568_41,
            p: false,
        };
        let text = line(&point);
        let mut r = tokio::io::BufReader::new(text.as_bytes());
        let mut buf = Vec::new();
        let back: warroom_core::model::Point = read(&mut r, &mut buf, MAX_REQUEST_LINE)
            .await
            .expect("parses");
        assert_eq!(back.v.to_bits(), point.v.to_bits(), "{text}");
    }
}
