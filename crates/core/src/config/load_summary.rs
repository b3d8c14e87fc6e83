//! Builds the leadership-summary schedule and its sinks (directory, Slack/Teams webhook, SNS)
//! from the layout's `[summary]` table.

use chrono::TimeDelta;
use chrono_tz::Tz;
use toml::Spanned;

use super::layout::{Series, Sink, SummaryConfig, WebhookFormat};
use super::load_checks as checks;
use super::loader::Loader;
use super::raw::{RawSink, RawSummary, Str};

/// Key metrics when the layout names none: the first six series with a baseline.
pub(crate) fn default_metrics(series: &[Series]) -> Vec<String> {
    series
        .iter()
        .filter(|s| s.baseline.is_some())
        .take(6)
        .map(|s| s.id.clone())
        .collect()
}

pub(crate) fn summary(
    l: &mut Loader<'_>,
    s: RawSummary,
    default_tz: Tz,
    series: &[Series],
) -> SummaryConfig {
    let metrics = series_ids(l, s.metrics.as_deref(), series, "metrics");
    let leadership = series_ids(l, s.leadership.as_deref(), series, "leadership");
    let time_zone = s
        .time_zone
        .as_ref()
        .and_then(|z| l.time_zone(z))
        .unwrap_or(default_tz);
    let cadence = s
        .cadence
        .as_ref()
        .and_then(|c| positive(l, c, "cadence"))
        .unwrap_or(TimeDelta::hours(1));
    let red_cadence = s
        .red_cadence
        .as_ref()
        .and_then(|c| positive(l, c, "red_cadence"));
    let sinks = s.sink.into_iter().filter_map(|k| sink(l, k)).collect();
    SummaryConfig {
        time_zone,
        cadence,
        red_cadence,
        metrics,
        leadership,
        sinks,
    }
}

/// The ids of a list that name series of the layout; an error for each that does not.
fn series_ids(
    l: &mut Loader<'_>,
    ids: Option<&[Str]>,
    series: &[Series],
    key: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    for m in ids.into_iter().flatten() {
        if series.iter().any(|x| x.id == *m.get_ref()) {
            out.push(m.get_ref().clone());
        } else {
            l.err(
                m.span().start,
                format!("unknown series \"{}\" in summary {key}", m.get_ref()),
                m.get_ref(),
                format!("name series ids of this layout, e.g. {key} = [\"seoul.requests\"]"),
            );
        }
    }
    out
}

fn positive(l: &mut Loader<'_>, s: &Str, what: &str) -> Option<TimeDelta> {
    let d = l.duration(s, what)?;
    if d < TimeDelta::minutes(1) {
        l.err(
            s.span().start,
            format!("{what} \"{}\" is too short", s.get_ref()),
            s.get_ref(),
            "summaries are sent at most once a minute; use e.g. 30m or 1h",
        );
        return None;
    }
    Some(d)
}

#[derive(Clone, Copy)]
enum Kind {
    Directory,
    Webhook,
    Sns,
}

fn sink(l: &mut Loader<'_>, s: Spanned<RawSink>) -> Option<Sink> {
    let s = s.into_inner();
    let choices = [
        ("directory", Kind::Directory),
        ("webhook", Kind::Webhook),
        ("sns", Kind::Sns),
    ];
    let kind = l.check(
        &s.kind,
        checks::choose("sink kind", s.kind.get_ref(), &choices),
    )?;
    let (allowed, usage): (&[&str], &str) = match kind {
        Kind::Directory => (&["path"], "kind = \"directory\", path = \"summaries\""),
        Kind::Webhook => (
            &["format", "url_env", "url_file"],
            "kind = \"webhook\", format = \"slack\", url_env = \"WARROOM_SLACK_URL\"",
        ),
        Kind::Sns => (
            &["topic_arn", "region"],
            "kind = \"sns\", topic_arn = \"arn:aws:sns:...\", region = \"us-east-1\"",
        ),
    };
    let keys = [
        ("path", &s.path),
        ("format", &s.format),
        ("url_env", &s.url_env),
        ("url_file", &s.url_file),
        ("topic_arn", &s.topic_arn),
        ("region", &s.region),
    ];
    let mut bad = false;
    for (key, v) in keys {
        if let Some(v) = v
            && !allowed.contains(&key)
        {
            bad = true;
            l.err(
                v.span().start,
                format!(
                    "key \"{key}\" does not apply to a {} sink",
                    s.kind.get_ref()
                ),
                key,
                format!("a {} sink takes: {}", s.kind.get_ref(), allowed.join(", ")),
            );
        }
    }
    let sink = match kind {
        Kind::Directory => Sink::Directory {
            path: need(l, &s, s.path.as_ref(), "path", usage)?,
        },
        Kind::Webhook => webhook(l, s, usage)?,
        Kind::Sns => sns(l, &s, usage)?,
    };
    (!bad).then_some(sink)
}

/// A key the sink's kind requires.
fn need(
    l: &mut Loader<'_>,
    s: &RawSink,
    v: Option<&Str>,
    key: &str,
    usage: &str,
) -> Option<String> {
    if v.is_none() {
        l.err(
            s.kind.span().start,
            format!("a {} sink needs \"{key}\"", s.kind.get_ref()),
            key,
            format!("e.g. {usage}"),
        );
    }
    v.map(|v| v.get_ref().clone())
}

fn webhook(l: &mut Loader<'_>, s: RawSink, usage: &str) -> Option<Sink> {
    need(l, &s, s.format.as_ref(), "format", usage);
    let choices = [
        ("slack", WebhookFormat::Slack),
        ("teams", WebhookFormat::Teams),
    ];
    let format = s
        .format
        .as_ref()
        .and_then(|f| l.check(f, checks::choose("webhook format", f.get_ref(), &choices)));
    if s.url_env.is_some() == s.url_file.is_some() {
        let at = s.url_file.as_ref().unwrap_or(&s.kind).span().start;
        l.err(
            at,
            format!(
                "a webhook sink needs exactly one of url_env, url_file (kind \"{}\")",
                s.kind.get_ref()
            ),
            s.kind.get_ref(),
            "the URL is a secret: name an environment variable (url_env) or a file (url_file), never the URL itself",
        );
        return None;
    }
    Some(Sink::Webhook {
        format: format?,
        url_env: s.url_env.map(Spanned::into_inner),
        url_file: s.url_file.map(Spanned::into_inner),
    })
}

fn sns(l: &mut Loader<'_>, s: &RawSink, usage: &str) -> Option<Sink> {
    let topic_arn = need(l, s, s.topic_arn.as_ref(), "topic_arn", usage)?;
    if let Some(t) = &s.topic_arn
        && !t.get_ref().starts_with("arn:aws")
    {
        l.err(
            t.span().start,
            format!("invalid SNS topic ARN \"{}\"", t.get_ref()),
            t.get_ref(),
            "topic ARNs look like arn:aws:sns:us-east-1:123456789012:warroom",
        );
    }
    let region = match &s.region {
        Some(r) => l.region(r)?,
        None => topic_arn.split(':').nth(3).unwrap_or_default().to_string(),
    };
    if !checks::looks_like_region(&region) {
        need(l, s, None, "region", usage);
        return None;
    }
    Some(Sink::Sns { topic_arn, region })
}
