//! The layout loader's working state: the file being read and the diagnostics collected so
//! far, with helpers that check one spanned value (durations, time zones, regions, ids,
//! accounts) and map positions inside string values (expressions) back to the file.

use std::collections::HashMap;

use chrono::TimeDelta;
use chrono_tz::Tz;

use super::error::{Diagnostic, SourceFile};
use super::expr_lex::parse_duration;
use super::layout::Account;
use super::load_checks::{self as checks, Problem};
use super::raw::Str;
use super::resolve::{ExprContext, Names};

/// Collects diagnostics while building a layout from one file.
pub(crate) struct Loader<'a> {
    pub(crate) src: SourceFile<'a>,
    pub(crate) errors: Vec<Diagnostic>,
}

impl<'a> Loader<'a> {
    pub(crate) fn new(src: SourceFile<'a>) -> Self {
        Loader {
            src,
            errors: Vec::new(),
        }
    }

    pub(crate) fn err(&mut self, at: usize, message: String, value: &str, hint: impl Into<String>) {
        let d = self.src.diag(at, message, value, hint);
        self.errors.push(d);
    }

    /// Records a value check's problem at the value.
    pub fn check<T>(&mut self, s: &Str, r: Result<T, Problem>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err((message, hint)) => {
                self.err(s.span().start, message, s.get_ref(), hint);
                None
            }
        }
    }

    /// Byte offset in the file of byte `inner` of a string value's decoded text, walking
    /// the escapes of basic strings (`\"`, `\u00e9`, line-ending backslashes).
    pub(crate) fn offset_in(&self, s: &Str, inner: usize) -> usize {
        let span = s.span();
        let raw = self.src.slice(span.clone());
        let literal = raw.starts_with('\'');
        let mut skip = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            3
        } else {
            1
        };
        if skip == 3 && raw[3..].starts_with('\n') {
            skip += 1;
        }
        let body = raw.get(skip..).unwrap_or("");
        let mut decoded = 0;
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if decoded >= inner {
                return span.start + skip + i;
            }
            if c != '\\' || literal {
                decoded += c.len_utf8();
                continue;
            }
            match chars.next() {
                Some((_, 'u')) => decoded += unicode_len(&mut chars, 4),
                Some((_, 'U')) => decoded += unicode_len(&mut chars, 8),
                Some((_, w)) if w.is_whitespace() => {
                    while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
                }
                Some(_) => decoded += 1,
                None => {}
            }
        }
        span.start + skip + body.len()
    }

    /// A diagnostic for an error inside an expression written in a string value.
    pub(crate) fn expr_err(&mut self, s: &Str, e: &super::error::ExprError) {
        let at = self.offset_in(s, e.at);
        self.err(at, e.message.clone(), &e.value, e.hint.clone());
    }

    pub(crate) fn duration(&mut self, s: &Str, what: &str) -> Option<TimeDelta> {
        let r = parse_duration(s.get_ref()).ok_or_else(|| {
            (
                format!("invalid {what} \"{}\"", s.get_ref()),
                "durations look like 90s, 3m, 1h, 1h30m".to_string(),
            )
        });
        self.check(s, r)
    }

    pub(crate) fn time_zone(&mut self, s: &Str) -> Option<Tz> {
        let r = s.get_ref().parse::<Tz>().map_err(|_| {
            (
                format!("unknown time zone \"{}\"", s.get_ref()),
                "use IANA names such as Asia/Seoul, America/New_York, UTC".to_string(),
            )
        });
        self.check(s, r)
    }

    pub(crate) fn region(&mut self, s: &Str) -> Option<String> {
        self.check(s, checks::check_region(s.get_ref()))
            .map(|()| s.get_ref().clone())
    }

    /// Checks ids are well formed and unique within one namespace; `seen` maps id to line.
    pub(crate) fn unique_id(&mut self, s: &Str, what: &str, seen: &mut HashMap<String, usize>) {
        if self.check(s, checks::check_id(s.get_ref())).is_none() {
            return;
        }
        if what == "health" && s.get_ref() == "alarms" {
            self.err(
                s.span().start,
                "health source id \"alarms\" is reserved".into(),
                "alarms",
                "panels list the alarm list as `alarms`: choose another id",
            );
            return;
        }
        let (line, _) = self.src.line_col(s.span().start);
        if let Some(first) = seen.insert(s.get_ref().clone(), line) {
            seen.insert(s.get_ref().clone(), first);
            self.err(
                s.span().start,
                format!("duplicate {what} id \"{}\"", s.get_ref()),
                s.get_ref(),
                format!("first defined at line {first}; ids must be unique"),
            );
        }
    }

    /// The account a resource belongs to: the named one, or the first.
    pub(crate) fn account(&mut self, s: Option<&Str>, accounts: &[Account]) -> String {
        let first = accounts
            .first()
            .map_or("default", |a| a.id.as_str())
            .to_string();
        let Some(s) = s else { return first };
        if accounts.iter().any(|a| &a.id == s.get_ref()) {
            return s.get_ref().clone();
        }
        let ids: Vec<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
        let hint = if ids.is_empty() {
            "declare it in an [[account]] table".to_string()
        } else {
            format!("accounts: {}", ids.join(", "))
        };
        self.err(
            s.span().start,
            format!("unknown account \"{}\"", s.get_ref()),
            s.get_ref(),
            hint,
        );
        first
    }
}

/// UTF-8 length of the character a `\\uXXXX` escape stands for (its hex digits consumed).
fn unicode_len(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, n: usize) -> usize {
    let hex: String = (0..n)
        .filter_map(|_| chars.next().map(|(_, c)| c))
        .collect();
    u32::from_str_radix(&hex, 16)
        .ok()
        .and_then(char::from_u32)
        .map_or(1, char::len_utf8)
}

/// Parses and resolves a condition written in a TOML string.
pub(crate) fn condition(l: &mut Loader<'_>, s: &Str, names: &Names) -> Option<super::expr::Expr> {
    let parsed = super::expr_parse::parse_expr(s.get_ref()).and_then(|mut expr| {
        super::resolve::resolve(&mut expr, s.get_ref(), names, ExprContext::Condition)
            .map(|()| expr)
    });
    match parsed {
        Ok(expr) => Some(expr),
        Err(err) => {
            l.expr_err(s, &err);
            None
        }
    }
}
