//! The seam between the evaluation and the screen: a plain view model built once per change
//! from the evaluated state and the layout, then borrowed by every render function. Strings
//! from outside may be put here raw: widgets sanitise them when drawing.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::layout::PanelSpec;
use super::widgets::ModeBadge;
use crate::config::Layout;
use crate::config::layout::{Direction, Unit};
pub use crate::config::runbook::ActionBlock;
pub use crate::eval::TimelineLine;
use crate::model::{IncidentFields, IncidentState, Severity, Status};

/// Everything one frame shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenModel {
    pub header: HeaderModel,
    /// In layout order; the layout engine orders them by `priority`.
    pub panels: Vec<PanelModel>,
    pub rtn: RtnModel,
    /// Closing the event: the confirmation and the return-to-normal procedure.
    pub rtn_close: crate::rtn_keys::RtnCloseModel,
    /// Runbook steps, in runbook order; the strip shows firing and armed ones.
    pub runbook: Vec<StepModel>,
    pub incidents: Vec<IncidentModel>,
    /// Newest last.
    pub timeline: Vec<TimelineLine>,
    /// The summary overlay's text ahead of the next summary: the delivery of recent ones (or
    /// why nothing is sent from here).
    pub summary_preview: String,
    /// The next summary as it would be sent now, before the room's edits
    /// ([`ScreenModel::summary_text`] adds them).
    pub summary_next: Option<Box<crate::model::Summary>>,
    /// The drafted headline of that summary (the edit prompt starts from it).
    pub summary_headline: String,
    /// The event's people (`p`): the bridge, the layout's contacts, and who owns which runbook
    /// steps (with the contact for that role when the layout has one). From the layout.
    pub people: Vec<String>,
    /// Whether this session can send a summary now (`watch` without `--record` cannot: the
    /// recording is the outbox; the preview says so).
    pub summary_sendable: bool,
    /// Where a summary sent now goes: the sinks' names (`directory:summaries`,
    /// `webhook:slack:env:WARROOM_SLACK_URL`), shown before sending.
    pub summary_recipients: Vec<String>,
    pub replay: Option<ReplayModel>,
    /// Other screens attached to the room this screen serves (`demo --serve`, `watch --serve`;
    /// 0 elsewhere): quitting here closes the room for them, so `q` asks first.
    pub attached: usize,
    /// Start of the newest bucket in every `MetricRow::buckets` (for the zoomed time axis).
    pub newest_bucket: Option<DateTime<Utc>>,
    /// Width of one bucket: the period most of the layout's series have (60 s, 300 s).
    pub bucket: TimeDelta,
    /// Right side of the footer, e.g. `source CloudWatch 60s`.
    pub footer_note: String,
    /// A line that must not be missed (live: expired credentials naming the profile, sources
    /// failing or stale), drawn under the header over everything else. Hostile text allowed:
    /// sanitised when drawn.
    pub banner: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeaderModel {
    pub event: String,
    pub now: DateTime<Utc>,
    /// The event's own time zone (shown with UTC).
    pub tz: Tz,
    /// T0: the start of the event.
    pub t0: DateTime<Utc>,
    /// `PRE`, `PEAK`, `RECOVERY`, ... as the evaluation names it.
    pub phase: String,
    pub status: Status,
    /// Why the status is what it is when the panels do not say it: an open incident holds it
    /// (`INC-1 critical open`), or the link to the room is lost.
    pub why: Option<String>,
    pub data_age: Option<TimeDelta>,
    pub stale: bool,
    pub mode: ModeBadge,
    /// Who is in the room (attached screens), in joining order.
    pub room: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PanelModel {
    pub id: String,
    pub(crate) title: String,
    /// A short name for the tab strip (`GA`, `Seoul`).
    pub short: String,
    pub(crate) priority: u32,
    pub status: Status,
    pub rows: Vec<PanelRow>,
}

impl PanelModel {
    pub(crate) fn spec(&self) -> PanelSpec {
        PanelSpec::for_rows(self.priority, self.rows(false).count())
    }

    /// The rows shown: all of them when zoomed, else those not kept for the zoomed panel.
    pub(crate) fn rows(&self, zoomed: bool) -> impl Iterator<Item = &PanelRow> {
        self.rows
            .iter()
            .filter(move |r| zoomed || !matches!(r, PanelRow::Text(t) if t.zoom_only))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PanelRow {
    Metric(MetricRow),
    /// A health line (`ap-northeast-2  BTS-ALB  HEALTHY  dial 100 w128 82%`), an alarm, a log
    /// line. Hostile text is sanitised by the widget.
    Text(TextRow),
}

/// One series: label, latest value, ratio to baseline, status, recent buckets.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricRow {
    pub label: String,
    pub value: Option<f64>,
    pub unit: Unit,
    /// Show the value as a per-minute rate (`12.4k/min`).
    pub per_min: bool,
    pub baseline: Option<f64>,
    /// Show the ratio to the baseline (`x9.6`): only where it informs (see
    /// `Series::ratio_informs`).
    pub ratio: bool,
    /// How far behind now the newest value is (CloudWatch: a minute or two).
    pub age: Option<chrono::TimeDelta>,
    /// A faster source disagrees with the value now (`live 2/10 healthy`).
    pub live: Option<String>,
    pub status: Status,
    /// Past a threshold, not yet for its `for`: the status it would take (a dimmed symbol).
    pub pending: Option<Status>,
    /// Older than twice its period: dimmed.
    pub stale: bool,
    /// Oldest first, one per period; `None` is a gap.
    pub buckets: Vec<Option<f64>>,
    /// How many of the newest buckets are provisional.
    pub provisional: usize,
    /// The line drawn on the chart (the warn threshold, else crit).
    pub threshold: Option<f64>,
    pub direction: Direction,
    /// The series' event target (`target` in the layout), in its unit: the line says the
    /// value's share of it (`45% of target`) where it has room. None without one.
    pub target: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TextRow {
    pub text: String,
    pub status: Option<Status>,
    pub dim: bool,
    /// Shown only when the panel is zoomed (older log lines): the dashboard keeps its few
    /// newest, the zoomed panel has room for more.
    pub zoom_only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RtnModel {
    /// Criterion name and whether it holds now.
    pub criteria: Vec<(String, bool)>,
    /// How long every criterion has held.
    pub streak: TimeDelta,
    /// How long it must hold.
    pub need: TimeDelta,
    /// When the streak would complete if everything keeps holding.
    pub completes_at: Option<DateTime<Utc>>,
    /// When return to normal was declared (final): the streak no longer runs.
    pub declared: Option<DateTime<Utc>>,
    /// After the declaration: since when a criterion is false again (a relapse).
    pub relapsed: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Idle,
    /// Condition true, `for` not yet elapsed.
    Armed,
    Firing,
    /// Firing, and acknowledged in this firing: it still reads FIRING (the trouble is still
    /// there), under the answered symbol, with who acknowledged it in the detail.
    Acked,
    Done,
    Skipped,
}

impl StepState {
    pub(crate) fn word(self) -> &'static str {
        match self {
            StepState::Idle => "idle",
            StepState::Armed => "ARMED",
            // An acknowledged step that still fires still reads FIRING.
            StepState::Firing | StepState::Acked => "FIRING",
            StepState::Done => "done",
            StepState::Skipped => "skipped",
        }
    }

    /// Shown on the runbook strip.
    pub(crate) fn is_live(self) -> bool {
        matches!(
            self,
            StepState::Armed | StepState::Firing | StepState::Acked
        )
    }

    pub(crate) fn status(self) -> Status {
        match self {
            StepState::Firing => Status::Red,
            StepState::Armed | StepState::Acked => Status::Yellow,
            StepState::Idle | StepState::Done | StepState::Skipped => Status::Green,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepModel {
    /// `RB-03`.
    pub id: String,
    pub title: String,
    pub state: StepState,
    /// Who acts on it (the runbook's `owner:`).
    pub owner: Option<String>,
    /// Since when it fires (firing steps only).
    pub since: Option<DateTime<Utc>>,
    /// What the state word does not say: `since 20:10`, `held 1m`, `by noc1`, `by noc1: the
    /// reason it was skipped`. Never the state word again.
    pub detail: String,
    /// What to do, as the runbook's Markdown has it: paragraphs are prose to read, list items
    /// things to tick (drawn behind a tick box).
    pub actions: Vec<ActionBlock>,
}

impl StepModel {
    /// ` · Web on-call` after the title (` - ` in ASCII); empty without an owner.
    pub fn owner_text(&self, ascii: bool) -> String {
        self.owner.as_deref().map_or_else(String::new, |o| {
            let sep = if ascii { " - " } else { " · " };
            format!("{sep}{}", crate::sanitize::sanitize(o, ascii))
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct IncidentModel {
    pub id: String,
    pub title: String,
    pub severity: Option<Severity>,
    pub state: IncidentState,
    pub plan: Option<String>,
    pub eta: Option<DateTime<Utc>>,
    pub owner: Option<String>,
    pub opened: DateTime<Utc>,
    pub opened_by: String,
    pub updated: DateTime<Utc>,
    /// 1 when opened, one more with every change: an edit is made on this version.
    pub version: u32,
    /// When the impact started.
    pub impact_start: Option<DateTime<Utc>>,
    /// What caused it (written on resolving).
    pub cause: Option<String>,
}

impl IncidentModel {
    /// The fields as the incident form edits them.
    pub(crate) fn fields(&self) -> IncidentFields {
        IncidentFields {
            title: Some(self.title.clone()),
            severity: self.severity,
            state: Some(self.state),
            plan: self.plan.clone(),
            eta: self.eta,
            owner: self.owner.clone(),
            impact_start: self.impact_start,
            cause: self.cause.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplayModel {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub pos: DateTime<Utc>,
    pub speed: u32,
    pub paused: bool,
}

impl ScreenModel {
    /// The summary overlay's text: the delivery of recent summaries, then the next one as it
    /// would be sent now with the room's headline and note, made by the function that makes
    /// the one sent (`summary::edited`).
    pub fn summary_text(&self, headline: Option<&str>, note: Option<&str>) -> String {
        let mut text = self.summary_preview.clone();
        if let Some(s) = &self.summary_next {
            let s = warroom_core::summary::edited(s, headline, note);
            text.push_str(&warroom_core::summary::render(
                &s,
                warroom_core::summary::Format::Text,
            ));
        }
        text
    }

    /// The model with the layout's panels and series but no data yet: every value unknown.
    /// The caller fills values, statuses, health lines and buckets from the evaluation.
    pub fn skeleton(layout: &Layout, now: DateTime<Utc>, mode: ModeBadge) -> ScreenModel {
        let panels = skeleton_panels(layout);
        ScreenModel {
            header: HeaderModel {
                event: layout.event.name.clone(),
                now,
                tz: layout.event.tz(),
                t0: layout.event.start,
                phase: String::new(),
                status: Status::Unknown,
                why: None,
                data_age: None,
                stale: false,
                mode,
                room: Vec::new(),
            },
            panels,
            rtn: RtnModel {
                criteria: layout
                    .return_to_normal
                    .criteria
                    .iter()
                    .map(|c| (c.name.clone(), false))
                    .collect(),
                streak: TimeDelta::zero(),
                declared: None,
                relapsed: None,
                need: layout.return_to_normal.streak,
                completes_at: None,
            },
            rtn_close: crate::rtn_keys::RtnCloseModel::default(),
            runbook: Vec::new(),
            incidents: Vec::new(),
            timeline: Vec::new(),
            summary_preview: String::new(),
            summary_next: None,
            summary_headline: String::new(),
            people: people(layout),
            summary_sendable: false,
            summary_recipients: Vec::new(),
            replay: None,
            attached: 0,
            newest_bucket: None,
            bucket: TimeDelta::minutes(1),
            footer_note: String::new(),
            banner: None,
        }
    }

    pub fn specs(&self) -> Vec<PanelSpec> {
        self.panels.iter().map(PanelModel::spec).collect()
    }

    /// Panel indices by priority (ties in layout order): tab `1` is the first.
    pub fn tab_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.panels.len()).collect();
        order.sort_by_key(|&i| (self.panels[i].priority, i));
        order
    }
}

/// `seoul` -> `Seoul`, `ga` -> `GA`: short ids upper-cased, others capitalised.
pub(crate) fn short_name(id: &str) -> String {
    if id.len() <= 3 {
        return id.to_uppercase();
    }
    let mut c = id.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The lines of the people overlay: the bridge, every contact, then each runbook owner with
/// their steps and, when a contact has that role, how to reach them.
pub fn people(layout: &Layout) -> Vec<String> {
    let e = &layout.event;
    let mut out = Vec::new();
    let bridge: Vec<&str> = [e.bridge_phone.as_deref(), e.bridge_url.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    out.push(if bridge.is_empty() {
        "Bridge: none in the layout".to_string()
    } else {
        format!("Bridge: {}", bridge.join("  "))
    });
    let reach = |c: &crate::config::layout::Contact| {
        [c.name.as_deref(), c.phone.as_deref(), c.email.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("  ")
    };
    out.push(String::new());
    out.push("Contacts".to_string());
    if e.contacts.is_empty() {
        out.push("  none in the layout".to_string());
    }
    for c in &e.contacts {
        out.push(format!("  {}: {}", c.role, reach(c)));
    }
    let mut owners: Vec<(&str, Vec<&str>)> = Vec::new();
    for s in layout.runbook.iter().flat_map(|r| &r.steps) {
        let Some(o) = s.owner.as_deref() else {
            continue;
        };
        match owners.iter_mut().find(|(name, _)| *name == o) {
            Some((_, steps)) => steps.push(&s.id),
            None => owners.push((o, vec![&s.id])),
        }
    }
    if !owners.is_empty() {
        out.push(String::new());
        out.push("Runbook owners".to_string());
    }
    for (o, steps) in owners {
        let contact = e
            .contacts
            .iter()
            .find(|c| c.role.eq_ignore_ascii_case(o))
            .map_or_else(String::new, |c| format!("  ({})", reach(c)));
        out.push(format!("  {o}: {}{contact}", steps.join(", ")));
    }
    out
}

/// The layout's panels with their series rows and no data yet (every value unknown).
fn skeleton_panels(layout: &Layout) -> Vec<PanelModel> {
    layout
        .panels
        .iter()
        .map(|p| PanelModel {
            id: p.id.clone(),
            title: p.title.clone(),
            short: short_name(&p.id),
            priority: p.priority,
            status: Status::Unknown,
            rows: p
                .series
                .iter()
                .filter_map(|id| layout.series_by_id(id))
                .map(|s| {
                    let threshold = s.threshold.as_ref();
                    PanelRow::Metric(MetricRow {
                        label: s.label.clone(),
                        value: None,
                        unit: s.unit,
                        per_min: false,
                        baseline: s.baseline,
                        ratio: s.ratio_informs(),
                        age: None,
                        live: None,
                        status: Status::Unknown,
                        pending: None,
                        stale: false,
                        buckets: Vec::new(),
                        provisional: 0,
                        threshold: threshold.and_then(|t| t.warn.or(t.crit)),
                        direction: threshold.map_or(Direction::Above, |t| t.direction),
                        target: s.target,
                    })
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        assert_eq!(short_name("ga"), "GA");
        assert_eq!(short_name("waf"), "WAF");
        assert_eq!(short_name("seoul"), "Seoul");
        assert_eq!(short_name(""), "");
    }

    #[test]
    fn the_preview_has_the_edited_headline_and_note_the_sent_summary_has() {
        let s: crate::model::Summary = serde_json::from_str(include_str!(
            "../../../tests/snapshots/summary_reference_2100.json"
        ))
        .expect("a summary");
        let mut m = crate::fixture::seoul_degraded();
        m.summary_preview = "Next summary, as it would be sent now:\n\n".into();
        m.summary_next = Some(Box::new(s));
        let text = m.summary_text(Some("Seoul back; Virginia watched"), Some("ETA 21:30"));
        assert!(
            text.contains("Headline: Seoul back; Virginia watched"),
            "{text}"
        );
        assert!(text.contains("Note: ETA 21:30"), "{text}");
        assert!(!m.summary_text(None, None).contains("Note:"));
    }

    #[test]
    fn the_skeleton_carries_a_series_event_target() {
        let mut layout = warroom_core::testing::judged_layout();
        layout.series[0].target = Some(2_000.0);
        let panels = skeleton_panels(&layout);
        let targets: Vec<Option<f64>> = panels
            .iter()
            .flat_map(|p| &p.rows)
            .filter_map(|r| match r {
                PanelRow::Metric(m) if m.label == layout.series[0].label => Some(m.target),
                _ => None,
            })
            .collect();
        assert!(!targets.is_empty(), "the series is on a panel");
        assert!(targets.iter().all(|t| *t == Some(2_000.0)), "{targets:?}");
    }

    #[test]
    fn step_states() {
        assert!(StepState::Firing.is_live() && !StepState::Done.is_live());
        assert_eq!(StepState::Firing.status(), Status::Red);
        assert_eq!(StepState::Armed.word(), "ARMED");
    }
}
