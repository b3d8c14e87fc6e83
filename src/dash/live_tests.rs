//! The live dashboard source without a terminal: batches fed by hand show under the LIVE badge;
//! with nothing new the last data stays on screen and is marked stale; expired credentials put a
//! banner naming the profile on the model and on the drawn screen; operator actions are
//! recorded durably with the operator's name.

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::*;
use crate::board::Board;
use crate::config::Layout;
use crate::journal::Fold;
use crate::model::EventBody;
use crate::model::OperatorAction;
use crate::model::{MetricBatch, Point, SeriesData, SourceState, SourceStatus};
use crate::record::Recorder;
use crate::source::layout_sources;
use crate::tui::view_model::PanelRow;
use crate::tui::{Caps, InputMode, Theme, UiState};

const SEOUL: &str = "cloudwatch:ap-northeast-2";

fn layout() -> Layout {
    crate::config::load_texts(&crate::builtin::layout(), Some(&crate::builtin::runbook()))
        .expect("builtin layout")
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-13T11:00:20Z")
        .expect("time")
        .with_timezone(&Utc)
}

fn source(l: &Layout, recorder: Option<Recorder>) -> LiveSource {
    let board = Board::new(
        layout_sources(l)
            .into_iter()
            .map(|id| (id.to_string(), "profile hybridbts".to_string())),
    );
    let journal = Journal::new(Fold::new(l, board), recorder, None);
    LiveSource::new(journal, None, Who::local("noc1"), ModeBadge::Live, t0())
}

fn status(at: DateTime<Utc>, state: SourceState, detail: &str) -> Event {
    Event {
        at,
        body: EventBody::SourceStatus(SourceStatus {
            source: SEOUL.into(),
            state,
            detail: Some(detail.into()),
        }),
    }
}

/// Seoul's metrics: `seoul.requests` at 1000 in the three minutes before `at`.
fn metrics(at: DateTime<Utc>) -> Event {
    let end = DateTime::from_timestamp(at.timestamp().div_euclid(60) * 60, 0).expect("minute");
    let points = (1..=3)
        .rev()
        .map(|k| Point {
            ts: end - TimeDelta::minutes(k),
            v: 1000.0,
            p: k == 1,
        })
        .collect();
    Event {
        at,
        body: EventBody::Metrics(MetricBatch {
            region: "ap-northeast-2".into(),
            start: end - TimeDelta::minutes(3),
            end,
            series: vec![SeriesData {
                id: "seoul.requests".into(),
                points,
                complete: true,
            }],
        }),
    }
}

fn requests_row(m: &ScreenModel) -> crate::tui::view_model::MetricRow {
    m.panels
        .iter()
        .flat_map(|p| &p.rows)
        .find_map(|r| match r {
            PanelRow::Metric(row) if row.value == Some(1000.0) => Some(row.clone()),
            _ => None,
        })
        .expect("the requests row shows 1000")
}

fn screen_text(m: &ScreenModel) -> Vec<String> {
    let area = Rect::new(0, 0, 100, 30);
    let mut buf = Buffer::empty(area);
    crate::tui::view::render(
        m,
        &UiState::new(InputMode::Live),
        Theme::new(Caps::FULL),
        area,
        &mut buf,
    );
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn fed_batches_show_under_the_live_badge() {
    let l = layout();
    let mut s = source(&l, None);
    assert_eq!(s.model().header.mode, ModeBadge::Live);
    assert_eq!(s.model().banner, None);
    s.feed(vec![status(t0(), SourceState::Ok, "ok"), metrics(t0())]);
    assert!(s.advance(t0() + TimeDelta::seconds(1)));
    let m = s.model();
    assert_eq!(m.header.mode, ModeBadge::Live);
    assert!(!m.header.stale);
    assert!(!requests_row(m).stale);
    assert!(
        m.footer_note.contains("profile hybridbts"),
        "{}",
        m.footer_note
    );
    assert!(m.footer_note.contains("1 ok"), "{}", m.footer_note);
    assert_eq!(m.banner, None, "sources still waiting are not a problem");
    assert!(screen_text(m)[0].contains("LIVE"));
}

#[test]
fn without_new_data_the_last_values_stay_and_are_marked_stale() {
    let l = layout();
    let mut s = source(&l, None);
    s.feed(vec![status(t0(), SourceState::Ok, "ok"), metrics(t0())]);
    s.advance(t0() + TimeDelta::seconds(1));
    // Ten minutes of silence: no batch at all, only the clock moves.
    let later = t0() + TimeDelta::minutes(10);
    assert!(s.advance(later), "re-evaluated with nothing new");
    let m = s.model();
    assert!(m.header.stale, "header marks the data stale");
    let row = requests_row(m);
    assert!(row.stale, "the row keeps its value, dimmed as stale");
    let banner = m.banner.as_deref().expect("banner");
    assert!(
        banner.contains("cloudwatch:ap-northeast-2 stale"),
        "{banner}"
    );
    assert!(m.footer_note.contains("1 stale"), "{}", m.footer_note);
}

#[test]
fn expired_credentials_show_a_banner_naming_the_profile_and_keep_the_data() {
    let l = layout();
    let mut s = source(&l, None);
    s.feed(vec![status(t0(), SourceState::Ok, "ok"), metrics(t0())]);
    let t1 = t0() + TimeDelta::seconds(60);
    s.feed(vec![status(
        t1,
        SourceState::CredentialsExpired,
        "GetMetricData: ExpiredToken: The security token included in the request is expired",
    )]);
    s.advance(t1);
    let m = s.model();
    let banner = m.banner.as_deref().expect("banner");
    assert!(banner.contains("CREDENTIALS EXPIRED"), "{banner}");
    assert!(banner.contains("profile hybridbts"), "{banner}");
    assert!(
        m.header.stale,
        "every reporting source fails: data marked stale"
    );
    assert_eq!(requests_row(m).value, Some(1000.0), "last data kept");
    let screen = screen_text(m);
    assert!(
        screen[1].contains("CREDENTIALS EXPIRED") && screen[1].contains("profile hybridbts"),
        "banner drawn under the header:\n{}",
        screen.join("\n")
    );
    // Retry succeeds: the banner goes.
    let t2 = t1 + TimeDelta::seconds(30);
    s.feed(vec![status(t2, SourceState::Ok, "ok"), metrics(t2)]);
    s.advance(t2);
    assert_eq!(s.model().banner, None);
    assert!(!s.model().header.stale);
}

#[test]
fn operator_actions_are_recorded_durably_with_who() {
    let l = layout();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("watch.jsonl");
    let header = crate::record::live::aws_header(&l, Some("hybridbts"), t0());
    let rec = crate::record::Recorder::create(&path, &header, false).expect("recorder");
    let mut s = source(&l, Some(rec));
    s.feed(vec![status(t0(), SourceState::Ok, "ok"), metrics(t0())]);
    s.advance(t0() + TimeDelta::seconds(2));
    s.apply(Effect::Operator(OperatorAction::Annotation {
        text: "doors open".into(),
    }));
    assert!(s.model().footer_note.contains("recording"));
    let (_, reader) = crate::record::Reader::open(&path).expect("reader");
    let events: Vec<Event> = reader.collect();
    assert_eq!(events.len(), 3);
    match &events[2].body {
        EventBody::Operator(o) => {
            assert_eq!(o.who, "noc1");
            assert_eq!(events[2].at, t0() + TimeDelta::seconds(2));
            assert!(
                matches!(&o.action, OperatorAction::Annotation { text } if text == "doors open")
            );
        }
        other => panic!("expected the annotation, got {other:?}"),
    }
}
