//! Builds the layout's `[availability]` section: the count series availability is judged on
//! (`requests`, and the `errors` among them), each a series of the layout in counts (`Sum` or
//! `SampleCount` for a `CloudWatch` metric), named once. Read by `eval::availability`.

use std::collections::HashSet;

use toml::Spanned;

use super::layout::{AvailabilitySeries, Series, SeriesSource, Unit};
use super::loader::Loader;
use super::raw::{RawAvailability, Str};

/// The section's series, checked; None without the section.
pub(crate) fn section(
    l: &mut Loader<'_>,
    a: Option<&RawAvailability>,
    series: &[Series],
) -> Option<AvailabilitySeries> {
    let a = a?;
    let mut seen = HashSet::new();
    let first_request = a.requests.get_ref().first().map(|r| r.get_ref().as_str());
    let requests = ids(l, &a.requests, "requests", series, &mut seen, None);
    let errors = ids(l, &a.errors, "errors", series, &mut seen, first_request);
    Some(AvailabilitySeries { requests, errors })
}

/// The ids of one list, each checked: known, a count, listed once in the section.
fn ids(
    l: &mut Loader<'_>,
    list: &Spanned<Vec<Str>>,
    key: &str,
    series: &[Series],
    seen: &mut HashSet<String>,
    request: Option<&str>,
) -> Vec<String> {
    if list.get_ref().is_empty() {
        let example = if key == "requests" {
            "requests = [\"api.count\"]"
        } else {
            "errors = [\"api.5xx\"]: without them every request would count as a success"
        };
        l.err(
            list.span().start,
            format!("[availability] \"{key}\" is empty"),
            key,
            format!("name count series of this layout, e.g. {example}"),
        );
        return Vec::new();
    }
    let valid: Vec<&str> = series.iter().map(|s| s.id.as_str()).collect();
    let mut out = Vec::new();
    for id in list.get_ref() {
        let Some(s) = series.iter().find(|s| s.id == *id.get_ref()) else {
            super::load::known(l, id, &valid, "series");
            continue;
        };
        if !seen.insert(id.get_ref().clone()) {
            l.err(
                id.span().start,
                format!(
                    "series \"{}\" is named twice in [availability]",
                    id.get_ref()
                ),
                id.get_ref(),
                "each series counts once: as requests or as errors, not both",
            );
            continue;
        }
        if counts(l, id, s, key, request) {
            out.push(id.get_ref().clone());
        }
    }
    out
}

/// Whether `s` counts requests per bucket; an error at `id` saying why not.
fn counts(l: &mut Loader<'_>, id: &Str, s: &Series, key: &str, request: Option<&str>) -> bool {
    let name = id.get_ref();
    if s.unit == Unit::Percent && key == "errors" {
        let requests = request.unwrap_or("<requests>");
        l.err(
            id.span().start,
            format!("[availability] errors \"{name}\" is a percentage, not a count"),
            name,
            format!(
                "errors are counts: add a math series of the requests that failed, \
                 expr = \"{requests} * {name} / 100\" with unit = \"count\", and name it here"
            ),
        );
        return false;
    }
    if s.unit != Unit::Count {
        l.err(
            id.span().start,
            format!(
                "[availability] {key} \"{name}\" is not a count (unit \"{}\")",
                s.unit.word()
            ),
            name,
            format!("availability adds up counts: give series {name} unit = \"count\""),
        );
        return false;
    }
    if let SeriesSource::Metric(q) = &s.source
        && !["Sum", "SampleCount"]
            .iter()
            .any(|w| q.stat.eq_ignore_ascii_case(w))
    {
        l.err(
            id.span().start,
            format!(
                "[availability] {key} \"{name}\" is not a count per bucket (stat \"{}\")",
                q.stat
            ),
            name,
            format!("availability adds up counts: give series {name} stat = \"Sum\""),
        );
        return false;
    }
    true
}

#[cfg(test)]
#[path = "load_availability_tests.rs"]
mod tests;
