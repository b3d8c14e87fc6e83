//! Amazon SNS publish: a subject under 100 characters, ASCII, with no line breaks or control
//! characters (SNS rejects others), and the plain-text rendering as the message (email
//! subscribers receive plain text), cut to stay under the 256 KB message limit.

use super::{kind_label, local_hm_z, text, tz};
use crate::model::Summary;

/// SNS: "must be less than 100 characters long".
pub(crate) const MAX_SUBJECT: usize = 99;
/// 256 KiB, less room for the envelope.
pub const MAX_MESSAGE: usize = 250 * 1024;

/// What is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnsMessage {
    pub subject: String,
    pub body: String,
}

/// ASCII printable only, whitespace runs collapsed, at most `MAX_SUBJECT` characters.
pub(crate) fn subject_text(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        let c = if c.is_ascii_graphic() {
            c
        } else if c.is_whitespace() || c.is_control() {
            ' '
        } else {
            '?'
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    if out.len() > MAX_SUBJECT {
        out.truncate(MAX_SUBJECT - 3);
        out.push_str("...");
    }
    out
}

pub fn message(s: &Summary) -> SnsMessage {
    let subject = subject_text(&format!(
        "{} {}: {} at {}",
        s.overall.word(),
        kind_label(s),
        s.event,
        local_hm_z(s.at, tz(s))
    ));
    let mut body = text::render(s);
    if body.len() > MAX_MESSAGE {
        let mut cut = MAX_MESSAGE;
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        body.truncate(cut);
        body.push_str("\n[cut to the SNS message limit]\n");
    }
    SnsMessage { subject, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_short_ascii_single_lines() {
        let s = subject_text("RED update #2:\nSeoul\tdown — 20:09 KST\u{1b}[31m");
        assert_eq!(s, "RED update #2: Seoul down ? 20:09 KST [31m");
        let long = subject_text(&"x".repeat(300));
        assert_eq!(long.len(), MAX_SUBJECT);
        assert!(long.ends_with("..."));
    }
}
