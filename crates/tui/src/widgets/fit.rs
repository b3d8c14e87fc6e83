//! A line made to fit the columns it has: cut between words when one ends near the edge, and
//! ending with the theme's ellipsis (`…`, `~` in ASCII), so no text stops at the edge of a box as
//! if it were whole (`Data on-cal`). Styles of the spans kept are kept.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// How far back (in columns) a cut may move to fall between two words, at most: a cut inside a
/// long word (an address, an id) stays where it is rather than leave the line half empty.
const WORD_BACK: usize = 16;

/// `line` as it is when it fits in `width` columns; otherwise cut to leave room for `mark`
/// (the ellipsis), between words when one ends near the edge, and ended with it.
pub(crate) fn fit_line(line: Line<'_>, width: usize, mark: &str) -> Line<'static> {
    if line.width() <= width {
        return owned(line);
    }
    cut(&line, width, mark)
}

/// `line` ended with `mark` (` …`: more follows that is not shown), cut as [`fit_line`] cuts
/// when the two do not fit together.
pub(crate) fn with_mark(line: Line<'_>, width: usize, mark: &str) -> Line<'static> {
    let mark_w: usize = mark.chars().map(|c| c.width().unwrap_or(0)).sum();
    if line.width() + mark_w <= width {
        let mut l = owned(line);
        let style = l.spans.last().map_or_else(Style::new, |s| s.style);
        trim_end(&mut l.spans);
        l.spans.push(Span::styled(mark.to_string(), style));
        return l;
    }
    cut(&line, width, mark)
}

fn owned(line: Line<'_>) -> Line<'static> {
    Line {
        spans: line
            .spans
            .into_iter()
            .map(|s| Span::styled(s.content.into_owned(), s.style))
            .collect(),
        style: line.style,
        alignment: line.alignment,
    }
}

fn cut(line: &Line<'_>, width: usize, mark: &str) -> Line<'static> {
    let mark_w: usize = mark.chars().map(|c| c.width().unwrap_or(0)).sum();
    let room = width.saturating_sub(mark_w);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    // The first character left out, if the cut falls before the end.
    let mut next = None;
    'spans: for s in &line.spans {
        let mut kept = String::new();
        for c in s.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > room {
                next = Some(c);
                spans.push(Span::styled(kept, s.style));
                break 'spans;
            }
            used += w;
            kept.push(c);
        }
        spans.push(Span::styled(kept, s.style));
    }
    if next.is_some_and(|c| !c.is_whitespace()) {
        back_to_word_start(&mut spans);
    }
    let style = spans.last().map_or_else(Style::new, |s| s.style);
    trim_end(&mut spans);
    if mark_w <= width {
        spans.push(Span::styled(mark.to_string(), style));
    }
    Line {
        spans,
        style: line.style,
        alignment: line.alignment,
    }
}

/// Drops the partial word at the end of `spans` when a space comes within [`WORD_BACK`]
/// columns of the end.
fn back_to_word_start(spans: &mut [Span<'static>]) {
    let mut back = 0;
    let mut at = None;
    'find: for (k, s) in spans.iter().enumerate().rev() {
        for (i, c) in s.content.char_indices().rev() {
            if c.is_whitespace() {
                at = Some((k, i));
                break 'find;
            }
            back += c.width().unwrap_or(0);
            if back > WORD_BACK {
                break 'find;
            }
        }
    }
    let Some((k, i)) = at else {
        return;
    };
    let mut s = spans[k].content.to_string();
    s.truncate(i);
    spans[k].content = s.into();
    for later in &mut spans[k + 1..] {
        later.content = "".into();
    }
}

fn trim_end(spans: &mut Vec<Span<'static>>) {
    while let Some(last) = spans.last_mut() {
        let t = last.content.trim_end().len();
        if t == 0 {
            spans.pop();
        } else {
            let mut s = last.content.to_string();
            s.truncate(t);
            last.content = s.into();
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(l: &Line<'_>) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_cut_falls_between_words_and_ends_with_the_mark() {
        let l = Line::from(vec![
            Span::raw("✖"),
            Span::raw(" RB-05  FIRING   DynamoDB throttling · Data on-call"),
        ]);
        assert_eq!(text(&fit_line(l.clone(), 60, "…")), text(&l), "it fits");
        assert_eq!(
            text(&fit_line(l.clone(), 48, "…")),
            "✖ RB-05  FIRING   DynamoDB throttling · Data…"
        );
        assert_eq!(
            text(&fit_line(l.clone(), 48, "~")),
            "✖ RB-05  FIRING   DynamoDB throttling · Data~"
        );
        // A long word is cut inside rather than leave the line half empty.
        let url = Line::raw("see https://bridge.example.com/hybridbts-warroom-of-the-event");
        assert_eq!(
            text(&fit_line(url, 30, "…")),
            "see https://bridge.example.co…"
        );
        // More follows: the mark after the text when both fit, else in place of the last word.
        assert_eq!(
            text(&with_mark(Line::raw("two words "), 20, " …")),
            "two words …"
        );
        assert_eq!(text(&with_mark(Line::raw("two words"), 10, " …")), "two …");
        assert!(fit_line(Line::raw("abc"), 0, "…").width() == 0);
    }
}
