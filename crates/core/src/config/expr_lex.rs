//! Lexer of the expression language: turns trigger, `verify:`, criterion and metric-math text
//! into tokens with byte offsets, for `config::expr_parse`.

use chrono::TimeDelta;

use super::error::ExprError;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Num(f64),
    Dur(TimeDelta),
    /// Upper-case state constant.
    Const(String),
    /// A layout name or function name (starts with a lower-case letter).
    Name(String),
    And,
    Or,
    Not,
    For,
    Plus,
    Minus,
    Star,
    Slash,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    Ne,
    LParen,
    RParen,
    Comma,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) at: usize,
    /// The token's text as written.
    pub(crate) text: String,
}

/// Characters allowed in a reference after its first letter.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Parses `90s`, `3m`, `1h`, `1h30m`, `2h15m30s` (units in decreasing order, each at most once).
/// Zero durations are accepted here; callers that need a positive one check.
pub fn parse_duration(s: &str) -> Option<TimeDelta> {
    let mut total: i64 = 0;
    let mut digits = String::new();
    let mut last_rank = 0;
    let mut any = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let (rank, secs) = match c {
            'h' => (1, 3600),
            'm' => (2, 60),
            's' => (3, 1),
            _ => return None,
        };
        if digits.is_empty() || rank <= last_rank {
            return None;
        }
        let n: i64 = digits.parse().ok()?;
        total = total.checked_add(n.checked_mul(secs)?)?;
        digits.clear();
        last_rank = rank;
        any = true;
    }
    if !digits.is_empty() || !any {
        return None;
    }
    TimeDelta::try_seconds(total)
}

/// Splits an expression into tokens.
pub(crate) fn lex(text: &str) -> Result<Vec<Token>, ExprError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = char::from(bytes[i]);
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let tok = if c.is_ascii_digit() {
            let (tok, end) = lex_number(text, start)?;
            i = end;
            tok
        } else if c.is_ascii_alphabetic() || c == '_' {
            let end = scan(text, start, is_name_char);
            i = end;
            word(text, start, end)?
        } else {
            let two = text.get(i..i + 2).unwrap_or("");
            let (tok, len) = match (c, two) {
                (_, "<=") => (Tok::Le, 2),
                (_, ">=") => (Tok::Ge, 2),
                (_, "==") => (Tok::EqEq, 2),
                (_, "!=") => (Tok::Ne, 2),
                ('<', _) => (Tok::Lt, 1),
                ('>', _) => (Tok::Gt, 1),
                ('+', _) => (Tok::Plus, 1),
                ('-', _) => (Tok::Minus, 1),
                ('*', _) => (Tok::Star, 1),
                ('/', _) => (Tok::Slash, 1),
                ('(', _) => (Tok::LParen, 1),
                (')', _) => (Tok::RParen, 1),
                (',', _) => (Tok::Comma, 1),
                ('=', _) => {
                    return Err(ExprError::new(
                        start,
                        "=",
                        "unexpected \"=\"",
                        "compare with `==`",
                    ));
                }
                _ => {
                    let ch: String = text[start..].chars().take(1).collect();
                    return Err(ExprError::new(
                        start,
                        ch.clone(),
                        format!("unexpected character \"{ch}\""),
                        "operators are + - * / < <= > >= == != and or not for",
                    ));
                }
            };
            i += len;
            tok
        };
        out.push(Token {
            tok,
            at: start,
            text: text[start..i].to_string(),
        });
    }
    Ok(out)
}

fn scan(text: &str, from: usize, ok: impl Fn(char) -> bool) -> usize {
    text[from..]
        .char_indices()
        .find(|&(_, c)| !ok(c))
        .map_or(text.len(), |(j, _)| from + j)
}

/// A number (`2`, `0.5`, `2%`) or a duration (`90s`, `1h30m`).
fn lex_number(text: &str, start: usize) -> Result<(Tok, usize), ExprError> {
    let end = scan(text, start, |c| c.is_ascii_alphanumeric() || c == '.');
    let word = &text[start..end];
    if word.ends_with(['h', 'm', 's']) && !word.contains('.') {
        return match parse_duration(word) {
            Some(d) => Ok((Tok::Dur(d), end)),
            None => Err(bad_number(start, word)),
        };
    }
    let v: f64 = word.parse().map_err(|_| bad_number(start, word))?;
    // `%` only helps the reader: `2%` is 2.
    let end = if text[end..].starts_with('%') {
        end + 1
    } else {
        end
    };
    Ok((Tok::Num(v), end))
}

fn bad_number(at: usize, word: &str) -> ExprError {
    ExprError::new(
        at,
        word,
        format!("invalid number or duration \"{word}\""),
        "numbers look like 2, 0.5 or 2%; durations like 90s, 3m, 1h, 1h30m; names start with a lower-case letter",
    )
}

/// The constants the language knows.
pub(crate) const CONSTANTS: [&str; 6] = [
    "HEALTHY",
    "UNHEALTHY",
    "INITIAL",
    "OK",
    "ALARM",
    "INSUFFICIENT_DATA",
];

fn word(text: &str, start: usize, end: usize) -> Result<Tok, ExprError> {
    let w = &text[start..end];
    Ok(match w {
        "and" => Tok::And,
        "or" => Tok::Or,
        "not" => Tok::Not,
        "for" => Tok::For,
        _ if w.starts_with(|c: char| c.is_ascii_lowercase()) => Tok::Name(w.to_string()),
        "AND" | "OR" | "NOT" | "FOR" => {
            return Err(ExprError::new(
                start,
                w,
                format!("keywords are lower-case: \"{w}\""),
                format!("write `{}`", w.to_ascii_lowercase()),
            ));
        }
        _ if w.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
            if !CONSTANTS.contains(&w) {
                let hint = match super::suggest::closest(w, CONSTANTS.iter().copied()) {
                    Some(s) => format!("did you mean {s}? states are {}", CONSTANTS.join(", ")),
                    None => format!("states are {}", CONSTANTS.join(", ")),
                };
                return Err(ExprError::new(
                    start,
                    w,
                    format!("unknown state \"{w}\""),
                    hint,
                ));
            }
            Tok::Const(w.to_string())
        }
        _ => {
            let hint = if ["AND", "OR", "NOT", "FOR"].contains(&w.to_ascii_uppercase().as_str()) {
                format!("keywords are lower-case: `{}`", w.to_ascii_lowercase())
            } else {
                "names start with a lower-case letter; states are upper-case (HEALTHY, ALARM, ...)"
                    .to_string()
            };
            return Err(ExprError::new(
                start,
                w,
                format!("invalid name \"{w}\""),
                hint,
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).expect("lexes").into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Some(TimeDelta::seconds(90)));
        assert_eq!(parse_duration("3m"), Some(TimeDelta::minutes(3)));
        assert_eq!(parse_duration("1h30m"), Some(TimeDelta::minutes(90)));
        assert_eq!(parse_duration("1h2m3s"), Some(TimeDelta::seconds(3723)));
        for bad in ["", "3", "m", "3x", "30m1h", "1m1m", "1.5m", "-3m"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_keep_dots_and_dashes() {
        assert_eq!(
            toks("ga.ap-northeast-2 == HEALTHY"),
            vec![
                Tok::Name("ga.ap-northeast-2".into()),
                Tok::EqEq,
                Tok::Const("HEALTHY".into())
            ]
        );
        assert_eq!(
            toks("a - 1"),
            vec![Tok::Name("a".into()), Tok::Minus, Tok::Num(1.0)]
        );
        assert_eq!(toks("a-1"), vec![Tok::Name("a-1".into())]);
    }

    #[test]
    fn numbers_percent_and_durations() {
        assert_eq!(
            toks("2% 0.5 90s 1h30m"),
            vec![
                Tok::Num(2.0),
                Tok::Num(0.5),
                Tok::Dur(TimeDelta::seconds(90)),
                Tok::Dur(TimeDelta::minutes(90))
            ]
        );
    }

    #[test]
    fn errors_carry_offsets() {
        let e = lex("a > 3x").expect_err("bad number");
        assert_eq!((e.at, e.value.as_str()), (4, "3x"));
        let e = lex("a == HEALTY").expect_err("unknown state");
        assert_eq!(e.at, 5);
        assert!(e.hint.contains("HEALTHY"), "{}", e.hint);
        let e = lex("a = 1").expect_err("single =");
        assert_eq!(e.at, 2);
        let e = lex("a AND b").expect_err("upper keyword");
        assert_eq!(e.hint, "write `and`");
        let e = lex("a > 1 # x").expect_err("bad char");
        assert_eq!(
            (e.at, e.message.as_str()),
            (6, "unexpected character \"#\"")
        );
    }
}
