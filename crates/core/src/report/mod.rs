//! The post-mortem report: a pure function of a recording. One pass folds the recording through
//! the same pipeline the room ran ([`collect`]), [`model::analyse`] turns what it gathered into
//! the report as data, and the renderers write `index.md`, `index.html` (one self-contained page,
//! charts inline) and `charts/*.svg`. Same recording, byte-identical output: nothing here reads
//! a clock, and every map is ordered. Reference: docs/report.md.

pub mod bounds;
mod collect;
pub(crate) mod criteria;
mod entries;
pub mod escape;
mod fmt;
mod html;
mod markdown;
mod model;
mod readiness;
mod svg_chart;
#[cfg(test)]
mod target_tests;
mod waf;

use std::path::{Path, PathBuf};

pub use crate::eval::availability::{Availability, Basis, Tally, TargetOrigin, Unjudged};
pub use collect::{Collected, Period, collect};
pub use criteria::{CriterionResult, Verdict};
pub use entries::{Category, Entry};
pub use model::{Chart, Gap, IncidentTimes, Peak, Quality, Report, Shade, StepTimes, analyse};
pub use readiness::timeline_line as readiness_line;
pub use waf::WafSection;

use crate::config;
use crate::model::{Event, Header};
use crate::record::{Reader, RecordError};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Record(#[from] RecordError),
    #[error("{path}: the layout embedded in this recording is invalid:\n{message}")]
    Layout { path: String, message: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ReportError {
    /// Whether the input (the recording) is at fault rather than the output.
    pub fn is_input(&self) -> bool {
        !matches!(self, ReportError::Write { .. })
    }
}

/// Reads a recording and builds its report.
pub fn from_recording(path: &Path) -> Result<Report, ReportError> {
    let (header, mut reader) = Reader::open(path)?;
    let events: Vec<Event> = reader.by_ref().collect();
    let skipped = reader.stats().summary();
    // Notes made in replays of it (`<recording>.postmortem.jsonl`) join the timeline, marked.
    let (notes, loaded) = crate::record::postmortem::load(path);
    let events = crate::record::postmortem::merge(events, notes);
    let mut report = build(&header, events, skipped).map_err(|e| match e {
        ReportError::Layout { message, .. } => ReportError::Layout {
            path: path.display().to_string(),
            message,
        },
        other => other,
    })?;
    report.quality.postmortem = loaded;
    Ok(report)
}

/// Builds the report of a recording's header and events (`skipped`: the reader's note). Events
/// dated far outside the header's window are skipped and counted with the unreadable lines;
/// the rest are taken in time order (lines of different sources may be a little out of order).
pub fn build(
    header: &Header,
    events: Vec<Event>,
    skipped: Option<String>,
) -> Result<Report, ReportError> {
    let layout = config::load_texts(&header.layout, header.runbook.as_ref()).map_err(|e| {
        ReportError::Layout {
            path: header.layout.path.clone(),
            message: e.to_string(),
        }
    })?;
    let (mut events, outside) = bounds::keep_inside(events, bounds::window(header, &layout));
    events.sort_by_key(|e| e.at);
    let skipped = match (skipped, outside) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
    let collected = collect(&layout, events);
    Ok(analyse(header, &layout, &collected, skipped))
}

/// Every chart of the report as SVG text, by file stem (`charts/<stem>.svg`): one per series,
/// one block ratio per web ACL with WAF metrics.
pub fn charts(report: &Report) -> std::collections::BTreeMap<String, String> {
    let span = report.reach.unwrap_or((report.t0, report.end));
    let mut all: Vec<Chart> = report.charts.clone();
    all.extend(
        report
            .waf
            .iter()
            .filter(|w| !w.ratio.is_empty())
            .map(|w| Chart {
                id: waf_chart_id(&w.id),
                title: format!("WAF block ratio, {}", w.name),
                unit: config::layout::Unit::Percent,
                points: w.ratio.clone(),
                baseline: None,
                threshold: None,
                target: None,
            }),
    );
    all.iter()
        .map(|c| {
            let doc = svg_chart::chart(c, span, &report.shaded, report);
            (escape::file_stem(&c.id), doc.to_string())
        })
        .collect()
}

/// The HTML page of a report, charts inline.
pub fn html(report: &Report) -> String {
    html::render(
        &format!("Post-mortem: {}", report.name),
        &markdown::render(report),
        &charts(report),
    )
}

/// Writes `dir/index.md`, `dir/index.html` and `dir/charts/*.svg`; returns the files written.
pub fn write(report: &Report, dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
    let mut written = Vec::new();
    let put = |name: &Path, text: &str, written: &mut Vec<PathBuf>| {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ReportError::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, text).map_err(|source| ReportError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
        Ok::<(), ReportError>(())
    };
    let md = markdown::render(report);
    let charts = charts(report);
    put(Path::new("index.md"), &md, &mut written)?;
    let page = html::render(&format!("Post-mortem: {}", report.name), &md, &charts);
    put(Path::new("index.html"), &page, &mut written)?;
    for (stem, svg) in &charts {
        let text = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n");
        put(
            &Path::new("charts").join(format!("{stem}.svg")),
            &text,
            &mut written,
        )?;
    }
    Ok(written)
}

/// The Markdown text of a report.
pub fn markdown(report: &Report) -> String {
    markdown::render(report)
}

/// Chart id of a web ACL's block ratio.
pub(crate) fn waf_chart_id(acl: &str) -> String {
    format!("waf-{}-block-ratio", escape::file_stem(acl))
}

/// Regions with CloudWatch metric series (each reports its own batches).
fn cloudwatch_regions(layout: &config::Layout) -> usize {
    crate::metric_window::plan(layout).len()
}
