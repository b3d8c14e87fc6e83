//! Configuration errors: every problem found in a layout or runbook, located at `file:line:column`
//! with the offending value quoted and a hint, so `warroom check` can print them and exit.

use std::fmt;
use std::ops::Range;

use crate::sanitize::{strip, truncate};

/// One problem in a configuration file.
///
/// Displayed as:
/// ```text
/// layouts/x.toml:12:9: error: unknown key "treshold" in [[series]]
///   hint: expected one of: id, label, region, ...
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    /// What is wrong; contains `value` in double quotes.
    pub message: String,
    /// The offending text, as written.
    pub value: String,
    pub hint: String,
}

/// Shown stripped of control, escape and bidi characters (`sanitize::strip`): the message
/// quotes the file's own bytes, and a layout embedded in a shared recording is anyone's.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            strip(&self.file),
            self.line,
            self.col,
            truncate(&strip(&self.message), MAX_MESSAGE, "...")
        )?;
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", strip(&self.hint))?;
        }
        Ok(())
    }
}

/// Every problem found while loading a layout and its runbook, in file order (at least one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Diagnostic> for ConfigError {
    fn from(d: Diagnostic) -> Self {
        ConfigError {
            diagnostics: vec![d],
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.diagnostics.len() > 1 {
            write!(f, "\n{} errors", self.diagnostics.len())?;
        }
        Ok(())
    }
}

/// A problem inside one expression; `at` is a byte offset into the expression's own text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at {at}: {message}")]
pub struct ExprError {
    pub(crate) at: usize,
    /// The offending token or name.
    pub(crate) value: String,
    /// Contains `value` in double quotes.
    pub(crate) message: String,
    pub(crate) hint: String,
}

impl ExprError {
    pub(crate) fn new(
        at: usize,
        value: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        ExprError {
            at,
            value: value.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// A file's text with its name, to turn byte offsets into diagnostics. The start of every line
/// is indexed once, on the first lookup, so locating each of n values costs O(log n), not a scan
/// of the text before it (a layout of 20,000 series locates every id).
#[derive(Debug, Clone)]
pub(crate) struct SourceFile<'a> {
    pub(crate) path: &'a str,
    pub(crate) text: &'a str,
    line_starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> SourceFile<'a> {
    pub(crate) fn new(path: &'a str, text: &'a str) -> Self {
        SourceFile {
            path,
            text,
            line_starts: std::cell::OnceCell::new(),
        }
    }

    /// Byte offsets at which lines start (the first is 0).
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(newline_offsets(self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.line_starts();
        // The last line starting at or before the offset.
        let line = starts.partition_point(|&s| s <= offset);
        let line_start = starts[line.saturating_sub(1)];
        let col = self.text[line_start..offset].chars().count() + 1;
        (line.max(1), col)
    }

    /// The text of a span, or "" when out of range.
    pub(crate) fn slice(&self, span: Range<usize>) -> &'a str {
        self.text.get(span).unwrap_or("")
    }

    /// The rest of the line from a byte offset.
    pub(crate) fn line_at(&self, offset: usize) -> &'a str {
        let rest = self.text.get(offset..).unwrap_or("");
        rest.split('\n').next().unwrap_or("")
    }

    pub(crate) fn diag(
        &self,
        offset: usize,
        message: impl Into<String>,
        value: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        let (line, col) = self.line_col(offset);
        Diagnostic {
            file: self.path.to_string(),
            line,
            col,
            message: message.into(),
            value: value.into(),
            hint: hint.into(),
        }
    }

    /// An expression error, given where the expression's text starts in this file.
    pub(crate) fn expr_diag(&self, expr_start: usize, e: &ExprError) -> Diagnostic {
        self.diag(expr_start + e.at, &e.message, &e.value, &e.hint)
    }
}

/// Positions of the newlines of `bytes`.
fn newline_offsets(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| (*b == b'\n').then_some(i))
}

/// Longest message shown: a value quoted whole (an id of 60,000 characters) must not flood
/// the terminal.
const MAX_MESSAGE: usize = 400;

/// Shortens a value for quoting in a message.
pub(crate) fn clip(s: &str) -> String {
    truncate(s.trim(), 63, "...")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("x.toml", "a = 1\nb = \"é\" x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        // after the two-byte é, the column counts one character
        assert_eq!(f.line_col(13), (2, 7));
        assert_eq!(f.line_col(999), (3, 1));
    }

    #[test]
    fn display_has_location_message_and_hint() {
        let f = SourceFile::new("layouts/x.toml", "\n\n  treshold = 1\n");
        let d = f.diag(
            4,
            "unknown key \"treshold\" in [[series]]",
            "treshold",
            "expected one of: id, label",
        );
        assert_eq!(
            d.to_string(),
            "layouts/x.toml:3:3: error: unknown key \"treshold\" in [[series]]\n  hint: expected one of: id, label"
        );
    }

    #[test]
    fn display_strips_escape_sequences_and_bidi_overrides_of_quoted_values() {
        let f = SourceFile::new(
            "x\u{1b}[2J.toml",
            "id = \"a\u{1b}]0;pwned\u{7}\u{202e}b\"\n",
        );
        let d = f.diag(
            5,
            "invalid id \"a\u{1b}]0;pwned\u{7}\u{202e}b\"",
            "a",
            "hint\u{9b}31m",
        );
        assert_eq!(
            d.to_string(),
            "x.toml:1:6: error: invalid id \"ab\"\n  hint: hint"
        );
    }

    #[test]
    fn a_message_quoting_a_huge_value_is_cut() {
        let f = SourceFile::new("x.toml", "id = 1\n");
        let value = "a + ".repeat(20_000);
        let d = f.diag(0, format!("invalid id \"{value}\""), value, "hint");
        let first = d.to_string().lines().next().unwrap_or_default().to_string();
        assert!(
            first.len() < 450 && first.ends_with("..."),
            "{}",
            first.len()
        );
    }

    #[test]
    fn clip_shortens_long_values() {
        assert_eq!(clip(" ab "), "ab");
        assert!(clip(&"x".repeat(100)).ends_with("..."));
    }
}
