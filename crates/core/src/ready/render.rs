//! The readiness report as text (the terminal: every string sanitised, colours as words),
//! Markdown (for the event's runbook: the readiness checklist as tables) and JSON (for CI).

use std::fmt::Write as _;

use super::num;
use crate::model::Status;
use crate::model::readiness::{CheckGroup, ReadinessMode, ReadinessReport};
use crate::report::escape::md;
use crate::sanitize::sanitize;

/// Output formats of `warroom ready`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

pub fn render(r: &ReadinessReport, f: Format) -> String {
    match f {
        Format::Text => text(r),
        Format::Markdown => markdown(r),
        Format::Json => json(r),
    }
}

fn t(s: &str) -> String {
    sanitize(s, false)
}

fn tally(r: &ReadinessReport) -> String {
    format!(
        "{}: {} red, {} yellow, {} green",
        r.overall().word(),
        r.count(Status::Red),
        r.count(Status::Yellow),
        r.count(Status::Green)
    )
}

fn cost(c: Option<f64>) -> String {
    c.map_or_else(|| "cost unknown".into(), |c| format!("${c:.2}/day"))
}

pub fn text(r: &ReadinessReport) -> String {
    let mut s = String::new();
    let at = r.at.format("%Y-%m-%d %H:%M UTC");
    if r.mode == ReadinessMode::After {
        let _ = writeln!(s, "After the event: {} (read {at})", t(&r.event));
        if r.leftovers.is_empty() {
            let _ = writeln!(s, "  nothing the event raised is left above normal");
        }
        for l in &r.leftovers {
            let _ = writeln!(
                s,
                "  {:<32} {:<16} now {:>6}, normal {:>6}  {}\n      -> {}",
                t(&l.what),
                t(&l.region),
                num(l.now),
                num(l.normal),
                cost(l.cost_per_day),
                t(&l.action)
            );
        }
        let _ = writeln!(
            s,
            "{} item(s) left raised, ${:.2} per day if left",
            r.leftovers.len(),
            r.leftover_cost_per_day()
        );
        return s;
    }
    let _ = writeln!(s, "Readiness of {} (read {at})", t(&r.event));
    if !r.peak.is_empty() {
        let _ = writeln!(s, "Expected peak: {}", t(&r.peak));
    }
    for g in CheckGroup::ALL {
        let checks: Vec<_> = r.checks.iter().filter(|c| c.group == g).collect();
        if checks.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{}", g.title());
        for c in checks {
            let _ = writeln!(
                s,
                "  {:<6} {}: {}",
                c.status.word(),
                t(&c.title),
                t(&c.number)
            );
            if !c.action.is_empty() {
                let _ = writeln!(s, "         -> {}", t(&c.action));
            }
        }
    }
    if !r.unchecked.is_empty() {
        let _ = writeln!(s, "\nNot checked:");
        for u in &r.unchecked {
            let _ = writeln!(s, "  - {}", t(u));
        }
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(s, "\nSkipped: {}", t(&r.skipped.join(", ")));
    }
    let _ = writeln!(s, "\n{}", tally(r));
    s
}

pub fn markdown(r: &ReadinessReport) -> String {
    let mut s = String::new();
    let at = r.at.format("%Y-%m-%d %H:%M UTC");
    if r.mode == ReadinessMode::After {
        let _ = writeln!(s, "# After the event: {}\n\nRead {at}.\n", md(&r.event));
        let _ = writeln!(s, "| What | Region | Now | Normal | Cost if left | To do |");
        let _ = writeln!(s, "|---|---|---:|---:|---|---|");
        for l in &r.leftovers {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                md(&l.what),
                md(&l.region),
                num(l.now),
                num(l.normal),
                cost(l.cost_per_day),
                md(&l.action)
            );
        }
        let _ = writeln!(
            s,
            "\n{} item(s) left raised, ${:.2} per day if left.",
            r.leftovers.len(),
            r.leftover_cost_per_day()
        );
        return s;
    }
    let _ = writeln!(s, "# Readiness checklist: {}\n", md(&r.event));
    let _ = writeln!(s, "Read {at}. **{}**.", tally(r));
    if !r.peak.is_empty() {
        let _ = writeln!(s, "Expected peak: {}.", md(&r.peak));
    }
    for g in CheckGroup::ALL {
        let checks: Vec<_> = r.checks.iter().filter(|c| c.group == g).collect();
        if checks.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n## {}\n", g.title());
        let _ = writeln!(s, "| Status | Check | Number | To do |");
        let _ = writeln!(s, "|---|---|---|---|");
        for c in checks {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                c.status.word(),
                md(&c.title),
                md(&c.number),
                md(&c.action)
            );
        }
    }
    if !r.unchecked.is_empty() {
        let _ = writeln!(s, "\n## Not checked\n");
        for u in &r.unchecked {
            let _ = writeln!(s, "- {}", md(u));
        }
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(s, "\nSkipped: {}.", md(&r.skipped.join(", ")));
    }
    s
}

pub fn json(r: &ReadinessReport) -> String {
    let mut s =
        serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    use super::md;

    /// The text a Markdown reader shows for one table cell holding `md(s)`, and whether any
    /// syntax (a link, an emphasis, code, HTML, a strikethrough) came out of it.
    fn as_read(s: &str) -> (String, bool) {
        let doc = format!("| a |\n|---|\n| {} |\n", md(s));
        let mut text = String::new();
        let mut syntax = false;
        let mut in_body = false;
        for e in Parser::new_ext(&doc, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
            match e {
                Event::End(TagEnd::TableHead) => in_body = true,
                Event::Text(t) if in_body => text.push_str(&t),
                Event::Start(Tag::TableCell | Tag::TableRow | Tag::Table(_) | Tag::TableHead)
                | Event::End(TagEnd::TableCell | TagEnd::TableRow | TagEnd::Table)
                | Event::Text(_) => {}
                _ => syntax = true,
            }
        }
        (text, syntax)
    }

    #[test]
    fn only_what_markdown_reads_as_syntax_is_escaped() {
        let plain = [
            "6 of 64 in use now (9%), 14 at the peak (22%)",
            "a new instance serves after about 360 s (launch ~60 s + warm-up 300 s)",
            "45 connections at the peak of max_connections 66 (68%)",
            "BTS-RateLimit-PerIP: 300 per 60 s (300/min per IP)",
            "T+12m, 99.911% < 99.95% - RB-07, RB-08!",
        ];
        for s in plain {
            assert_eq!(md(s), s, "escaped what needs no escape");
            assert_eq!(as_read(s), (s.to_string(), false));
        }
        let hostile = [
            "<script>x</script> [a](http://e.vil) | *b* _d_ ~e~ ~~f~~ &amp; www.x.io a@b.io #",
            "x~y~z __u__ **v** \\*w\\* [g]: /h",
        ];
        for s in hostile {
            assert_eq!(as_read(s), (s.to_string(), false), "{}", md(s));
        }
        assert!(!md("a\nb\u{1b}[31m").contains(['\n', '\u{1b}']));
        // The one Markdown escaping keeps a code span a code span (`report::escape::md`).
        assert_eq!(md("`max_connections`"), "`max_connections`");
    }
}
