//! JSON: the summary data itself (the same shape as in the `summary` event), pretty-printed.

use crate::model::Summary;

pub fn render(s: &Summary) -> String {
    let mut out = serde_json::to_string_pretty(s).unwrap_or_default();
    out.push('\n');
    out
}
