//! Hostile text made safe: the one place where control characters, escape sequences and
//! invisible reordering characters (bidi overrides, zero-width) are stripped. Every string from
//! outside (log lines, WAF URIs and headers, alarm reasons, operator text, recording and layout
//! bytes quoted in a message) passes through [`sanitize`] (or [`strip`], [`strip_lines`], [`clean`],
//! which call it) before it reaches the terminal, stdout, stderr, a report or a summary. The
//! format-specific escaping (HTML, Markdown, Slack) is done afterwards by each renderer.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Strips control characters and escape sequences, replaces tabs and newlines by a space, and
/// in ASCII mode every non-ASCII character by `?`. Keeps printable Unicode otherwise.
pub fn sanitize(input: &str, ascii: bool) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' | '\n' | '\u{0b}' | '\u{0c}' | '\u{2028}' | '\u{2029}' | '\u{85}' => {
                out.push(' ');
            }
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            // DCS, SOS, OSC, PM, APC: strings terminated by ST or BEL.
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if c.is_control() || is_format(c) => {}
            c if ascii && !c.is_ascii() => {
                // A zero-width combining mark belongs to the previous `?`.
                if c.width().unwrap_or(0) > 0 {
                    out.push('?');
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// [`sanitize`] for text not drawn on a terminal cell grid (reports, summaries, messages):
/// Unicode is kept.
pub fn strip(input: &str) -> String {
    sanitize(input, false)
}

/// [`strip`] for a message of several lines: each line stripped, the line breaks kept.
pub fn strip_lines(input: &str) -> String {
    input.split('\n').map(strip).collect::<Vec<_>>().join("\n")
}

/// [`sanitize`], then truncated to `max_width` terminal columns; a truncated string ends with
/// `ellipsis` (counted in the width).
pub fn clean(input: &str, max_width: usize, ascii: bool) -> String {
    let s = sanitize(input, ascii);
    truncate(&s, max_width, if ascii { "~" } else { "…" })
}

/// Cuts `s` to at most `max_width` columns, ending with `ellipsis` when something was cut.
pub fn truncate(s: &str, max_width: usize, ellipsis: &str) -> String {
    if s.width() <= max_width {
        return s.to_string();
    }
    let room = max_width.saturating_sub(ellipsis.width());
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if ellipsis.width() <= max_width {
        out.truncate(out.trim_end().len());
        out.push_str(ellipsis);
    }
    out
}

/// Invisible characters that can reorder or hide text: bidi embeddings, overrides and
/// isolates, zero-width characters, the soft hyphen, tag characters, interlinear annotations.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: CSI, string sequences, or a two-character (plus intermediates) escape.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        Some(_) => {
            while let Some(&c) = chars.peek() {
                chars.next();
                if !('\u{20}'..='\u{2f}').contains(&c) {
                    break;
                }
            }
        }
        None => {}
    }
}

/// Parameters and intermediates, up to and including the final byte (0x40..=0x7E).
fn skip_csi(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            // Not a CSI byte: the sequence was malformed; drop what we read so far.
            break;
        }
    }
}

/// Up to BEL, ST (`ESC \` or 0x9C), or the end of the input.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{07}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_inputs() {
        let cases = [
            ("\x1b[2J", ""),
            ("a\x1b[2Jb", "ab"),
            ("\x1b[38;5;196mred\x1b[0m", "red"),
            ("\x1b]0;pwned\x07title", "title"),
            ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),
            ("\x1bP+q544e\x1b\\x", "x"),
            ("\x1b_apc\x1b\\x", "x"),
            ("\x1bcreset", "reset"),
            ("\x1b(0q", "q"),
            ("\u{9b}2Jx", "x"),
            ("\u{9d}0;t\u{9c}y", "y"),
            ("\u{90}dcs\u{9c}z", "z"),
            ("\u{85}", " "),
            ("\u{202e}gnp.exe", "gnp.exe"),
            ("ab\u{2066}c\u{2069}", "abc"),
            ("zero\u{200b}width\u{feff}", "zerowidth"),
            ("over\rwrite", "overwrite"),
            ("tab\there", "tab here"),
            ("line1\nline2", "line1 line2"),
            ("bell\x07del\x7f", "belldel"),
            ("nul\0", "nul"),
            ("\x1b", ""),
            ("\x1b[", ""),
            ("\x1b]unterminated", ""),
            (
                "GET /search?q=%27%20OR%201=1",
                "GET /search?q=%27%20OR%201=1",
            ),
            ("서울 ●", "서울 ●"),
            ("e\u{301}", "e\u{301}"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input, false), want, "{input:?}");
        }
    }

    #[test]
    fn messages_keep_their_lines_and_lose_the_rest() {
        assert_eq!(
            strip_lines("a.toml:1:2: error: \u{1b}[2J\"x\u{202e}y\"\n  hint: \u{7}z\r"),
            "a.toml:1:2: error: \"xy\"\n  hint: z"
        );
        assert_eq!(strip("x\ty\u{2067}"), "x y");
    }

    #[test]
    fn ascii_mode_replaces_non_ascii() {
        assert_eq!(sanitize("서울 ok", true), "?? ok");
        assert_eq!(sanitize("e\u{301}", true), "e");
        assert_eq!(sanitize("caf\u{e9}\x1b[1m!", true), "caf?!");
    }

    #[test]
    fn clean_truncates_to_display_width() {
        assert_eq!(clean("abcdef", 4, false), "abc…");
        assert_eq!(clean("abcdef", 4, true), "abc~");
        assert_eq!(clean("abcd", 4, false), "abcd");
        // Wide characters are two columns; never split one.
        assert_eq!(clean("서울서울", 5, false), "서울…");
        assert_eq!(clean("\x1b[2Jabc", 3, false), "abc");
        assert_eq!(clean("abc", 0, false), "");
        for input in ["\x1b[31m서울 timeout\t!", "\u{202e}abcdefgh"] {
            for w in 0..12 {
                assert!(clean(input, w, false).width() <= w, "{input:?} at {w}");
            }
        }
    }
}
