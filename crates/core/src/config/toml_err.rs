//! Turns `toml` parse and deserialisation errors (syntax, unknown keys, wrong types, missing
//! keys) into located diagnostics that name the table and quote the offending value.

use super::error::{Diagnostic, SourceFile, clip};

pub(crate) fn diagnostic(src: &SourceFile<'_>, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let msg = e.message().lines().next().unwrap_or("").trim();
    let ctx = table_context(src.text, span.start);
    keyed(src, msg, span.start, &ctx)
        .or_else(|| valued(src, msg, span.clone(), &ctx))
        .unwrap_or_else(|| syntax(src, msg, span))
}

/// Unknown keys and values, missing keys: the key is in the message.
fn keyed(src: &SourceFile<'_>, msg: &str, at: usize, ctx: &str) -> Option<Diagnostic> {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        return Some(src.diag(
            at,
            format!("unknown key \"{key}\" in {ctx}"),
            key,
            expected_hint(expected),
        ));
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (v, expected) = rest.split_once('`').unwrap_or((rest, ""));
        return Some(src.diag(
            at,
            format!("invalid value \"{v}\" in {ctx}"),
            v,
            expected_hint(expected),
        ));
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let key = rest.trim_end_matches('`');
        let line = src.line_at(at).trim();
        let ctx = if line.starts_with('[') {
            header_text(line)
        } else {
            ctx.to_string()
        };
        return Some(src.diag(
            at,
            format!("missing key \"{key}\" in {ctx}"),
            key,
            if key == "event" {
                "every layout has an [event] table with name, start and end (see docs/layout.md)"
                    .into()
            } else {
                format!("add `{key} = ...` to this table (see docs/layout.md)")
            },
        ));
    }
    None
}

/// Wrong types and values, duplicate keys: the value stands at the error's span.
fn valued(
    src: &SourceFile<'_>,
    msg: &str,
    span: std::ops::Range<usize>,
    ctx: &str,
) -> Option<Diagnostic> {
    let slice = src.slice(span.clone());
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let key = key_before(src.text, span.start);
        let value = clip(slice);
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .map_or(value.clone(), str::to_string);
        return Some(src.diag(
            span.start,
            format!(
                "wrong type for {key} in {ctx}: \"{value}\" is {}",
                article(found)
            ),
            value,
            format!("expected {}", plain_type(expected)),
        ));
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (_, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let key = key_before(src.text, span.start);
        let value = clip(slice);
        return Some(src.diag(
            span.start,
            format!("invalid value for {key} in {ctx}: \"{value}\""),
            value,
            match expected {
                "u32" | "u64" | "u16" | "u8" => "expected a whole number, 0 or more".to_string(),
                e => format!("expected {}", plain_type(e)),
            },
        ));
    }
    if msg == "duplicate key" {
        let value = clip(slice);
        return Some(src.diag(
            span.start,
            format!("duplicate key \"{value}\" in {ctx}"),
            value,
            "each key may appear once per table; `[[name]]` starts a new array entry",
        ));
    }
    None
}

/// Syntax errors and anything else: quote what stands at the position, or its line.
fn syntax(src: &SourceFile<'_>, msg: &str, span: std::ops::Range<usize>) -> Diagnostic {
    let slice = src.slice(span.clone());
    let msg = msg.replace('`', "");
    let (value, message) = if slice.trim().is_empty() {
        let value = clip(line_around(src.text, span.start));
        let message = format!("invalid TOML: {msg} in \"{value}\"");
        (value, message)
    } else {
        let value = clip(slice);
        let message = format!("invalid TOML: {msg} at \"{value}\"");
        (value, message)
    };
    src.diag(
        span.start,
        message,
        value,
        "check the TOML syntax (https://toml.io): strings in double quotes, arrays in [ ], inline tables in { } on one line",
    )
}

/// "`a`, `b`" style lists from serde become "expected one of: a, b".
fn expected_hint(expected: &str) -> String {
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    if names.is_empty() {
        "this table takes no keys".into()
    } else {
        format!("expected one of: {}", names.join(", "))
    }
}

fn article(found: &str) -> String {
    // serde writes `string "abc"`, `integer `3``, `boolean `true``, `sequence`, `map`.
    let kind = found.split_whitespace().next().unwrap_or(found);
    match kind {
        "string" => "a string".into(),
        "integer" => "an integer".into(),
        "floating" => "a number".into(),
        "boolean" => "a boolean".into(),
        "sequence" => "an array".into(),
        "map" => "a table".into(),
        _ => found.replace('`', ""),
    }
}

fn plain_type(expected: &str) -> String {
    match expected {
        "f64" | "f32" => "a number".into(),
        "u32" | "u64" | "i64" | "i32" | "u16" | "u8" => "an integer".into(),
        "a string" | "string" => "a string (in double quotes)".into(),
        "a sequence" => "an array [ ... ]".into(),
        "a boolean" | "bool" => "true or false".into(),
        e if e.starts_with("struct") || e.contains("map") => "a table".into(),
        e => e.replace('`', ""),
    }
}

/// The line holding `at` (the previous one when `at` starts an empty line).
fn line_around(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or("");
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].split('\n').next().unwrap_or("");
    if line.trim().is_empty() && start > 0 {
        line_around(text, start - 1)
    } else {
        line
    }
}

/// The key of the `key = value` pair holding `at` (best effort).
fn key_before(text: &str, at: usize) -> String {
    let before = text.get(..at).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let segment = &before[line_start..];
    // The last `key =` before the value, on this line (inline tables hold several).
    let Some(eq) = segment.rfind('=') else {
        return "a value".into();
    };
    let key = segment[..eq]
        .trim_end()
        .rsplit(|c: char| c == '{' || c == ',' || c.is_whitespace())
        .next()
        .unwrap_or("");
    if key.is_empty() {
        "a value".into()
    } else {
        format!("\"{key}\"")
    }
}

/// Where `at` lies: `[[series]]`, `threshold of [[series]]`, `the top level`.
pub(crate) fn table_context(text: &str, at: usize) -> String {
    let before = text.get(..at).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let this_line = line.split('\n').next().unwrap_or("");
    let header = if this_line.trim_start().starts_with('[') {
        // The span is inside a header: its context is the header's parent table.
        parent_header(this_line.trim())
    } else {
        before[..line_start]
            .lines()
            .rev()
            .map(str::trim)
            .find(|l| l.starts_with('['))
            .map(header_text)
    };
    let mut ctx = header.unwrap_or_else(|| "the top level".into());
    if let Some(inline) = inline_table_key(&before[line_start..]) {
        ctx = format!("{inline} of {ctx}");
    }
    ctx
}

fn header_text(l: &str) -> String {
    let end = l.rfind(']').map_or(l.len(), |i| i + 1);
    l[..end].to_string()
}

fn parent_header(l: &str) -> Option<String> {
    let h = header_text(l);
    let double = h.starts_with("[[");
    let inner = h.trim_matches(|c| c == '[' || c == ']').trim();
    let (parent, _) = inner.rsplit_once('.')?;
    Some(if double {
        format!("[[{parent}]]")
    } else {
        format!("[{parent}]")
    })
}

/// If the text before the position (on its line) is inside an unclosed `{`, the key of that
/// inline table.
fn inline_table_key(line_before: &str) -> Option<String> {
    let mut depth = 0i32;
    let mut open = None;
    for (i, c) in line_before.char_indices().rev() {
        match c {
            '}' => depth += 1,
            '{' if depth == 0 => {
                open = Some(i);
                break;
            }
            '{' => depth -= 1,
            _ => {}
        }
    }
    let mut head = line_before[..open?].trim_end();
    if head.ends_with([',', '[']) {
        // An inline table inside an array: the key is the array's.
        let mut depth = 0i32;
        let mut array = None;
        for (i, c) in head.char_indices().rev() {
            match c {
                ']' | '}' => depth += 1,
                '[' if depth == 0 => {
                    array = Some(i);
                    break;
                }
                '[' | '{' => depth -= 1,
                _ => {}
            }
        }
        head = head[..array?].trim_end();
    }
    let head = head.strip_suffix('=')?.trim_end();
    let key = head
        .rsplit(|c: char| c == '{' || c == ',' || c == '[' || c.is_whitespace())
        .next()?;
    (!key.is_empty()).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts() {
        let t = "a = 1\n[[series]]\nid = \"x\"\nthreshold = { warn = 1, x = 2 }\n[event.foo]\n";
        assert_eq!(table_context(t, 2), "the top level");
        assert_eq!(table_context(t, t.find("id").expect("id")), "[[series]]");
        assert_eq!(
            table_context(t, t.find("x =").expect("x")),
            "threshold of [[series]]"
        );
        assert_eq!(table_context(t, t.find("foo").expect("foo")), "[event]");
        let t = "[[a]]\ng = [{ r = 1 }, { r = 2, w = -1 }]\n";
        assert_eq!(table_context(t, t.find("w =").expect("w")), "g of [[a]]");
    }

    #[test]
    fn key_of_value() {
        let t = "x = 1\nthreshold = { warn = \"a\" }";
        assert_eq!(key_before(t, t.find("\"a\"").expect("a")), "\"warn\"");
    }
}
