//! The report as one self-contained HTML page (`index.html`): the Markdown rendered by
//! pulldown-cmark (so both outputs say the same thing), each chart image replaced by the chart's
//! SVG inline, a small style sheet, no scripts and no external resources. The page is also
//! well-formed XML (XHTML-compatible), which the tests check with an XML parser.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::escape::html;

const STYLE: &str = "body{font-family:sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;margin:0.5em 0 1em}\
th,td{border:1px solid #ccc;padding:2px 6px;font-size:13px;vertical-align:top}\
th{background:#f0f0f0}\
svg.chart{display:block;margin:0.5em 0}";

/// The page: `markdown` as HTML, `charts` (file stem -> SVG text) inline where the Markdown
/// links `charts/<stem>.svg`.
pub fn render(title: &str, markdown: &str, charts: &BTreeMap<String, String>) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut image: Option<String> = None;
    for ev in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::Image { dest_url, .. }) => image = Some(dest_url.to_string()),
            Event::End(TagEnd::Image) => {
                let svg = image
                    .take()
                    .and_then(|u| {
                        u.strip_prefix("charts/")
                            .and_then(|s| s.strip_suffix(".svg"))
                            .map(str::to_string)
                    })
                    .and_then(|stem| charts.get(&stem));
                if let Some(svg) = svg {
                    events.push(Event::InlineHtml(svg.clone().into()));
                }
            }
            // The alt text: the inline chart carries its own title.
            _ if image.is_some() => {}
            other => events.push(other),
        }
    }
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, events.into_iter());
    format!(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n\
         <meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        html(title)
    )
}
