//! Escaping for the report's outputs and the summaries' Markdown: every string that came from
//! outside (alarm reasons, log lines, WAF URIs and client IPs, operator notes, incident titles)
//! passes through one of these before it reaches Markdown, HTML or SVG text.

// Control characters (newlines included), escape sequences and bidi overrides are stripped by
// the one sanitiser (`crate::sanitize::strip`) before the escaping here, so hostile text cannot
// break a line, a table row or an XML document (XML 1.0 forbids most control characters) nor
// reorder what the reader sees.
use crate::sanitize::strip;

/// Text for Markdown (the report's and the summaries'), the one escaping of text into
/// Markdown: cleaned, and only what Markdown would take for syntax backslash-escaped, so the
/// raw file reads as written (`(serverless)`, `T+09:05`, `20:00:00`, `1 action(s)`) and
/// nothing becomes a link, an emphasis, HTML, an entity or a table cell boundary:
/// - `\`, `|`, `*`, `[`, `]`; `~` but after a space or at the start (`~60 s` stays); `_` at a
///   word's edge (`seoul.5xx_rate` stays);
/// - `<` before a letter, `/`, `!` or `?` (a tag or an autolink), `&` before a letter or `#`
///   (an entity), `@` after a letter or digit (an e-mail autolink); a bare URL stays as
///   written (an autolink shows the address itself);
/// - a backtick without a closing one; a code span (`` `a < 1` ``) is kept as a code span,
///   only its `|` escaped (it would end a table cell);
/// - at the start, what would open a block: `#`, `>`, `+`, `-`, `=`, and `1.` / `1)`.
pub(crate) fn md(s: &str) -> String {
    let text = strip(s);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    let first = chars.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let (prev, next) = (
            i.checked_sub(1).and_then(|p| chars.get(p)),
            chars.get(i + 1),
        );
        if c == '`'
            && let Some(len) = chars[i + 1..].iter().position(|&x| x == '`')
        {
            for &x in &chars[i..=i + 1 + len] {
                if x == '|' {
                    out.push('\\');
                }
                out.push(x);
            }
            i += len + 2;
            continue;
        }
        let digits_end = (i == first && c.is_ascii_digit())
            .then(|| i + chars[i..].iter().take_while(|d| d.is_ascii_digit()).count());
        let escape = match c {
            '\\' | '|' | '*' | '[' | ']' | '`' => true,
            // Strikethrough cannot close after a space: `~60 s` reads as written.
            '~' => prev.is_some_and(|p| !p.is_whitespace()),
            '_' => !word(prev) || !word(next),
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#'),
            '@' => word(prev),
            '#' | '>' | '+' | '-' | '=' => i == first,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        // `1.` or `1)` opening the text would start an ordered list.
        if let Some(end) = digits_end {
            for &d in &chars[i + 1..end] {
                out.push(d);
            }
            if let Some(&m @ ('.' | ')')) = chars.get(end) {
                out.push('\\');
                out.push(m);
                i = end + 1;
            } else {
                i = end;
            }
            continue;
        }
        i += 1;
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
        assert!(out.contains(r"\<script>x\</script>"), "{out}");
        assert!(out.contains(r"\[a\](http://e.vil)"), "{out}");
        assert!(out.contains(r"\|") && out.contains(r"\*b\*"), "{out}");
        // Times are not links: they read as written.
        assert_eq!(md("20:00:00 T+1:02:03"), "20:00:00 T+1:02:03");
        assert_eq!(md("noc: on-sale open"), "noc: on-sale open");
    }

    /// Only what Markdown would take for syntax is escaped: parentheses, `+`, `!`, `#` inside
    /// a line read as written, and a code span renders as one.
    #[test]
    fn markdown_escapes_only_what_markdown_needs() {
        for (raw, want) in [
            ("flash sale (serverless)", "flash sale (serverless)"),
            ("(1 action(s))", "(1 action(s))"),
            ("`tix.p99 < 1` was false", "`tix.p99 < 1` was false"),
            ("`a | b` and a lone ` tick", r"`a \| b` and a lone \` tick"),
            ("seoul.5xx_rate and _em_", r"seoul.5xx_rate and \_em\_"),
            ("# not a heading, issue #4!", r"\# not a heading, issue #4!"),
            ("1. not a list", r"1\. not a list"),
            ("- x > y", r"\- x > y"),
            (
                "AT&T &amp; ops@example.com",
                r"AT\&T \&amp; ops\@example.com",
            ),
            ("a\\b", r"a\\b"),
        ] {
            assert_eq!(md(raw), want, "{raw}");
        }
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
