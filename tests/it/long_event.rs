//! The generated 14-day, 5-minute-period recording of the ticketing layout
//! (`warroom_core::testing::fortnight`: one region, a namespace of its own, no Global
//! Accelerator): the report, the summaries and their numbers agree with each other and with
//! what the recording holds, including buckets from before its first event and buckets the
//! summaries' 24-hour state no longer holds.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, TimeDelta, Utc};
use warroom_core::model::{Event, EventBody, Header};
use warroom_core::record::Recorder;
use warroom_core::report::{self, Report};
use warroom_core::testing::fortnight;

/// The fortnight recording, generated once.
pub fn recording() -> &'static (Header, Vec<Event>) {
    static R: OnceLock<(Header, Vec<Event>)> = OnceLock::new();
    R.get_or_init(fortnight)
}

/// The fortnight recording written to a file (about 10 MB), once per test run.
pub fn file() -> &'static Path {
    static P: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &P.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("fortnight.jsonl");
        let (header, events) = recording();
        let mut rec = Recorder::create(&path, header, false).expect("create");
        for batch in warroom_core::pipeline::batches(events.iter().cloned()) {
            rec.write_batch(&batch).expect("write");
        }
        drop(rec);
        (dir, path)
    })
    .1
}

pub fn report() -> &'static Report {
    static R: OnceLock<Report> = OnceLock::new();
    R.get_or_init(|| {
        let (header, events) = recording();
        report::build(header, events.clone(), None).expect("report")
    })
}

fn t0() -> DateTime<Utc> {
    report().t0
}

#[test]
fn buckets_from_before_the_first_event_count() {
    let (header, events) = recording();
    // The first 90 seconds: one poll, which brought the last 3 hours.
    let first = events[0].at;
    let short: Vec<Event> = events
        .iter()
        .filter(|e| e.at < first + TimeDelta::seconds(90))
        .cloned()
        .collect();
    let history_start = short
        .iter()
        .find_map(|e| match &e.body {
            EventBody::Metrics(b) => Some(b.start),
            _ => None,
        })
        .expect("a metrics poll");
    assert!(history_start < first);
    let r = report::build(header, short, None).expect("report");
    let requests = r
        .peaks
        .iter()
        .find(|p| p.id == "tix.requests")
        .expect("peak row");
    // Those hours are before T0: the peak is the event window's, and it has none yet.
    assert!(requests.worst.is_none(), "{requests:?}");
    let a = r.availability.as_ref().expect("availability");
    assert_eq!(a.hours.first().map(|h| h.0), Some(history_start));
    let known: Vec<usize> = a.hours.iter().map(|h| h.1.known).collect();
    // Three hours of history, the newest bucket not yet published, then the recording's own.
    assert_eq!(known, [12, 12, 11, 0]);
    // The table says which hours came from the first poll's reach into the past.
    let md = report::markdown(&r);
    let marked = md.lines().filter(|l| l.contains("), history |")).count();
    assert_eq!(marked, 3, "{md}");
    assert!(
        md.contains("Hours marked \"history\" ended before the recording started"),
        "{md}"
    );
    let chart = r
        .charts
        .iter()
        .find(|c| c.id == "tix.requests")
        .expect("chart");
    assert_eq!(
        chart.points.iter().filter(|p| p.1.is_some()).count(),
        35,
        "every 5-minute bucket of the 3 hours but the newest"
    );
}

#[test]
fn the_report_and_the_summaries_tally_the_same_event() {
    let r = report();
    let a = r.availability.as_ref().expect("availability");
    let report_share = a.window.share().expect("requests");
    // The summary at the end of the recording, made as `warroom summary` makes it: a pipeline
    // that keeps 24 hours of buckets, 13 days fewer than the event.
    let end = recording().1.last().expect("events").at;
    let (_, s) = warroom::cli::summary_of(file(), None).expect("summary");
    assert_eq!(s.at, end);
    let line = s.availability.as_ref().expect("availability line");
    let event = line.event_percent.expect("the event so far");
    assert!(
        (event - report_share).abs() < 1e-4,
        "summary {event} vs report {report_share}"
    );
    assert!(a.window.expected >= a.window.known && a.window.known > 3000);
}

#[test]
fn a_summary_every_minute_while_red_keeps_the_event_figure_and_the_verdict() {
    // 09:21: RED since 09:15, summaries every minute; 5-minute data, so no bucket started in
    // [09:20, 09:21).
    let at = (t0() + TimeDelta::minutes(21)).to_rfc3339();
    let (_, s) = warroom::cli::summary_of(file(), Some(&at)).expect("summary");
    let since = s.since.expect("the previous summary");
    assert!(
        since >= t0() + TimeDelta::minutes(20) && since < t0() + TimeDelta::minutes(21),
        "{since}"
    );
    // Made on the red cadence, and called so (not `hourly`).
    assert_eq!(s.kind_word(), "every 1m while RED");
    let a = s
        .availability
        .as_ref()
        .expect("the availability line stays");
    assert_eq!(a.percent, None);
    // Nothing settled since 09:20:10, but the event so far (3% 5xx only since 09:15).
    assert_eq!(a.event_percent, Some(99.9585), "{a:?}");
    let text = warroom_core::summary::render::availability_text(&s).expect("text");
    assert!(
        text.contains("no request data for this period yet")
            && text.contains("event so far")
            && text.ends_with("target 99.9%: met so far"),
        "{text}"
    );
}

#[test]
fn a_step_still_firing_is_listed_with_when_it_fired() {
    // RB-01 (`tix.p99 > 1 for 10m`) fired at 09:22:40 and fires until 09:57:40; the 09:40
    // summary (one a minute while RED) lists it as still firing, since 09:22.
    let fired = recording()
        .1
        .iter()
        .map(|e| e.at)
        .find(|t| *t >= t0() + TimeDelta::minutes(22) + TimeDelta::seconds(40))
        .expect("events");
    let at = (t0() + TimeDelta::minutes(40)).to_rfc3339();
    let (_, s) = warroom::cli::summary_of(file(), Some(&at)).expect("summary");
    let step = s
        .steps_fired
        .iter()
        .find(|st| st.id == "RB-01")
        .expect("RB-01 listed");
    assert!(step.firing);
    assert_eq!(step.fired, fired);
    // Runbook steps are in the detail (Markdown, Slack), not the email's text.
    let text = warroom_core::summary::render::render(&s, warroom_core::summary::Format::Markdown);
    assert!(
        text.contains("09:22 RB-01 Latency high (still firing"),
        "{text}"
    );
}

#[test]
fn a_relapse_after_return_to_normal_is_called_one() {
    let r = report();
    let rtn: Vec<(DateTime<Utc>, &str)> = r
        .timeline
        .iter()
        .filter(|e| e.category == report::Category::ReturnToNormal)
        .map(|e| (e.at, e.text.as_str()))
        .collect();
    let declared = rtn
        .iter()
        .find(|(_, t)| t.contains("DECLARED"))
        .expect("declared")
        .0;
    // Day 10, 14:00: an instance stopped and 5xx back. The 25 minutes without metrics on day 6
    // are no relapse: data missing is not a criterion broken.
    let after: Vec<&str> = rtn
        .iter()
        .filter(|(t, _)| *t > declared)
        .map(|(_, t)| *t)
        .collect();
    assert_eq!(after.len(), 3, "{after:?}");
    assert!(
        after[0].starts_with("RETURN-TO-NORMAL RELAPSE after the declaration (")
            && after[0].contains("every target healthy"),
        "{after:?}"
    );
    // A fresh streak, then a new declaration (no more "holds again" at once).
    assert_eq!(after[1], "RETURN-TO-NORMAL streak started (4/4 criteria)");
    assert!(
        after[2].starts_with("RETURN-TO-NORMAL DECLARED"),
        "{after:?}"
    );
    // Hours, peaks and response times carry their date: the event runs for days.
    assert!(r.dated);
    let md = report::markdown(r);
    for dated in [
        "| 2026-11-24 09:00:00 (T+24:00:00) |",
        "| RB-02 Capacity lost | 2026-12-03 14:05:10 (T+245:05:10) |",
        "to 2026-12-07 09:00:00 UTC)",
    ] {
        assert!(md.contains(dated), "{dated}");
    }

    let at = (t0() + TimeDelta::days(10) + TimeDelta::hours(6)).to_rfc3339();
    let (_, s) = warroom::cli::summary_of(file(), Some(&at)).expect("summary");
    assert!(s.rtn.relapsed.is_some());
    let text = warroom_core::summary::render::render(&s, warroom_core::summary::Format::Text);
    assert!(
        text.contains("declared 23 Nov 10:37 GMT, not yet confirmed; RELAPSE since 14:00 GMT"),
        "{text}"
    );
    // A peak ten days before the summary carries its date.
    assert!(text.contains("peak 22,500 at 23 Nov 10:00"), "{text}");
    assert!(
        s.headline
            .contains("relapse since 14:00 after the return to normal of 23 Nov 10:37"),
        "{}",
        s.headline
    );
}

/// The replay dashboard of the fortnight at `at`, as `warroom replay` shows it.
fn replay_at(at: DateTime<Utc>) -> warroom::dash::ReplaySource {
    use warroom_tui::app::ReplayCommand;
    use warroom_tui::run::ModelSource;
    let (header, events) = recording();
    let layout = warroom_core::testing::tix_layout();
    let mut src = warroom::dash::ReplaySource::new(
        &layout,
        header.clone(),
        events.clone(),
        file(),
        "analyst".into(),
        None,
    );
    src.seek(at);
    src.apply(warroom_tui::app::Effect::Replay(ReplayCommand::TogglePause));
    src
}

#[test]
fn the_replay_dashboard_in_a_relapse_days_into_the_event() {
    use warroom_tui::app::UiState;
    use warroom_tui::keys::{InputMode, Overlay};
    use warroom_tui::run::ModelSource;
    // Day 10, 15:00: an instance stopped an hour ago, ten days after return to normal.
    let src = replay_at(t0() + TimeDelta::days(10) + TimeDelta::hours(6));
    let ui = UiState::new(InputMode::Replay);
    let mut screens = Vec::new();
    for (w, h) in [(80, 24), (160, 48)] {
        let s = crate::dash_screen::draw(src.model(), &ui, w, h);
        crate::dash_screen::check(&format!("fortnight_relapse_{w}x{h}"), &s);
        screens.push(s);
    }
    let wide = &screens[1];
    for needle in [
        "RELAPSE",
        "03 Dec 15:00:00 GMT",
        "RETURN-TO-NORMAL ✖ 3/4 RELAPSE since 03 Dec 14:00 GMT (declared 23 Nov 10:37)",
        "unused 1",
        "Target.InvalidState",
        "23 Nov 07:00-07 Dec 08:57",
    ] {
        assert!(wide.contains(needle), "{needle}:\n{wide}");
    }
    // The web panel zoomed: 5-minute buckets, labels every hour.
    let zoom = UiState {
        focus: Some(0),
        zoom: true,
        ..UiState::new(InputMode::Replay)
    };
    let s = crate::dash_screen::draw(src.model(), &zoom, 160, 48);
    crate::dash_screen::check("fortnight_relapse_zoom_160x48", &s);
    assert!(s.contains("12:00") && s.contains("13:00"), "{s}");
    // The timeline overlay dates entries of other days.
    let timeline = UiState {
        overlay: Some(Overlay::Timeline),
        ..UiState::new(InputMode::Replay)
    };
    let s = crate::dash_screen::draw(src.model(), &timeline, 160, 48);
    crate::dash_screen::check("fortnight_relapse_timeline_160x48", &s);
    assert!(s.contains("23 Nov 10:37:40"), "{s}");
}

/// Compares with `tests/snapshots/<name>` (written with `BLESS=1`).
fn snapshot(name: &str, actual: &str) {
    crate::support::golden::check(&format!("tests/snapshots/{name}"), actual);
}

#[test]
fn the_report_of_the_fortnight() {
    let md = report::markdown(report());
    snapshot("report_fortnight.md", &md);
    // One row per hour of what the recording holds, dated, from 04:00 (the first poll's
    // history) on the first day.
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| 2026-1") && l.contains(" (T"))
        .count();
    assert!(rows > 14 * 24, "{rows}");
    assert!(
        md.contains("| 2026-11-23 04:00:00 (T-5:00:00), history | 21924 |"),
        "{md}"
    );
}

#[test]
fn the_summaries_of_the_fortnight() {
    use warroom_core::summary::{Format, render};
    for (name, at) in [
        ("relapse", t0() + TimeDelta::days(10) + TimeDelta::hours(6)),
        ("on_sale_red", t0() + TimeDelta::minutes(40)),
    ] {
        let (_, s) = warroom::cli::summary_of(file(), Some(&at.to_rfc3339())).expect("summary");
        snapshot(
            &format!("summary_fortnight_{name}.txt"),
            &render(&s, Format::Text),
        );
        snapshot(
            &format!("summary_fortnight_{name}.json"),
            &render(&s, Format::Json),
        );
    }
}
