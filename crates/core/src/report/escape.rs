//! Escaping for the report's outputs: every string that came from outside (alarm reasons, log
//! lines, WAF URIs and client IPs, operator notes, incident titles) passes through one of these
//! before it reaches Markdown, HTML or SVG text.

// Control characters (newlines included), escape sequences and bidi overrides are stripped by
// the one sanitiser (`crate::sanitize::strip`) before the escaping here, so hostile text cannot
// break a line, a table row or an XML document (XML 1.0 forbids most control characters) nor
// reorder what the reader sees.
use crate::sanitize::strip;

/// Characters that can start Markdown syntax inside a line: emphasis, code, links, images,
/// HTML, entities, table cells, headings, and the `@` of autolinks (the `:` of a link's
/// `://` is escaped apart, so times and `who: what` read as written).
const MD_SPECIAL: &str = "\\`*_{}[]<>()#+!|~&@";

/// Text for Markdown: cleaned, and every character that could start Markdown syntax
/// backslash-escaped (CommonMark allows escaping any ASCII punctuation), so nothing becomes a
/// link, an emphasis, HTML or a table cell boundary. The `.` of `www.` is escaped too, against
/// GFM's bare-domain autolinks.
pub(crate) fn md(s: &str) -> String {
    let cleaned = strip(s);
    let mut out = String::with_capacity(cleaned.len() + 8);
    for (i, c) in cleaned.char_indices() {
        let scheme = c == ':' && cleaned[i + 1..].starts_with("//");
        if MD_SPECIAL.contains(c)
            || scheme
            || (c == '.' && out.to_ascii_lowercase().ends_with("www"))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for HTML and XML (element content and quoted attribute values): cleaned, with
/// `& < > " '` as entities.
pub(crate) fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in strip(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A file name made from an id: letters, digits, `-` and `_` kept, the rest as `_`.
pub(crate) fn file_stem(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_neutralises_links_html_and_table_cells() {
        let hostile = "<script>x</script> [a](http://e.vil) | *b* \u{1b}[31m\nnext";
        let out = md(hostile);
        assert!(!out.contains('\n') && !out.contains('\u{1b}'), "{out}");
        assert!(out.contains(r"\<script\>"), "{out}");
        assert!(out.contains(r"\[a\]\(http\://e.vil\)"), "{out}");
        assert_eq!(md("see www.x.io"), r"see www\.x.io");
        assert!(out.contains(r"\|"), "{out}");
        // Times are not links: they read as written.
        assert_eq!(md("20:00:00 T+1:02:03"), "20:00:00 T\\+1:02:03");
        assert_eq!(md("noc: on-sale open"), "noc: on-sale open");
        assert_eq!(md("see ftp://x"), r"see ftp\://x");
    }

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>\u{7}"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn bidi_overrides_and_escape_sequences_are_stripped_before_escaping() {
        let hostile = "\u{202e}fdp.exe \u{1b}]8;;http://e.vil\u{7}x\u{2066}";
        assert_eq!(html(hostile), "fdp.exe x");
        assert_eq!(md(hostile), "fdp.exe x");
    }

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("seoul.waf/../x y"), "seoul_waf____x_y");
    }
}
