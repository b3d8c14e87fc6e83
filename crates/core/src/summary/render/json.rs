//! JSON: the summary data itself (the same shape as in the `summary` event), pretty-printed,
//! every string stripped as the other renderers strip theirs (a consumer that decodes the JSON,
//! `jq -r` or a chat bridge, would otherwise print escapes and bidi overrides live).

use serde_json::Value;

use crate::model::Summary;
use crate::sanitize::strip;

pub fn render(s: &Summary) -> String {
    let mut value = serde_json::to_value(s).unwrap_or_default();
    strip_strings(&mut value);
    // Back through the summary's own type, so the fields keep their order.
    let text = match serde_json::from_value::<Summary>(value.clone()) {
        Ok(stripped) => serde_json::to_string_pretty(&stripped),
        Err(_) => serde_json::to_string_pretty(&value),
    };
    let mut out = text.unwrap_or_default();
    out.push('\n');
    out
}

/// Strips every string in `v`, keys included.
fn strip_strings(v: &mut Value) {
    match v {
        Value::String(s) => *s = strip(s),
        Value::Array(items) => items.iter_mut().for_each(strip_strings),
        Value::Object(map) => {
            let taken = std::mem::take(map);
            for (k, mut item) in taken {
                strip_strings(&mut item);
                map.insert(strip(&k), item);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_overrides_are_stripped_from_every_string() {
        let json = include_str!("../../../../../tests/snapshots/summary_reference_final.json");
        let mut s: Summary = serde_json::from_str(json).expect("snapshot summary");
        s.headline_override = Some("\u{1b}[31mall \u{202e}good\u{1b}]0;owned\u{7}".into());
        s.note = Some("line\u{2066}one\nline two".into());
        if let Some(i) = s.incidents_open.first_mut() {
            i.id = "\u{1b}[2JINC-1\u{202e}".into();
        }
        let out = render(&s);
        let back: Value = serde_json::from_str(&out).expect("still JSON");
        let mut strings = Vec::new();
        collect(&back, &mut strings);
        for text in &strings {
            assert!(
                !text
                    .chars()
                    .any(|c| c.is_control() || matches!(c, '\u{202e}' | '\u{2066}')),
                "raw control or bidi character in {text:?}"
            );
        }
        assert!(strings.iter().any(|t| t == "all good"), "{strings:?}");
    }

    fn collect(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
            Value::Object(map) => map.iter().for_each(|(k, i)| {
                out.push(k.clone());
                collect(i, out);
            }),
            _ => {}
        }
    }
}
