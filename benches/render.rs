//! What must be fast: building the view model and rendering a full 200x60 frame of the
//! reference event at T+10m, and seeking anywhere in a 24-hour simulated recording.

// The tests' direct simulator source; the benchmark uses part of it.
#[allow(dead_code)]
#[path = "../tests/it/support/sim_source.rs"]
mod sim_source;
use sim_source::SimSource;

use std::hint::black_box;

use chrono::TimeDelta;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom::dash::{ReplaySource, build};
use warroom_core::config::{self, Layout};
use warroom_core::model::{FORMAT_NAME, FORMAT_VERSION, Header, Source};
use warroom_sim::{Scenario, Simulator};
use warroom_tui::app::UiState;
use warroom_tui::caps::Caps;
use warroom_tui::keys::InputMode;
use warroom_tui::run::ModelSource;
use warroom_tui::theme::Theme;
use warroom_tui::view;
use warroom_tui::widgets::ModeBadge;

fn layout() -> Layout {
    let (l, r) = (
        warroom_core::builtin::layout(),
        warroom_core::builtin::runbook(),
    );
    config::load_texts(&l, Some(&r)).expect("builtin layout")
}

fn render_frame(c: &mut Criterion) {
    let layout = layout();
    let t0 = layout.event.start;
    let sim = Simulator::new(&layout, Scenario::ArmyDrop, 42, t0 - TimeDelta::minutes(60));
    let src = SimSource::new(&layout, sim, t0 + TimeDelta::minutes(10), 10.0, None, "b");
    let p = src.journal().fold().pipeline();
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    let ui = UiState::new(InputMode::Live);
    let theme = Theme::new(Caps::FULL);
    c.bench_function("build model + render 200x60 at T+10m", |b| {
        b.iter(|| {
            let m = build::build(
                p.layout(),
                p.state(),
                p.evaluation(),
                src.now(),
                ModeBadge::Sim { speed: 10 },
            );
            term.draw(|f| view::draw(f, black_box(&m), &ui, theme))
                .expect("draw");
        });
    });
}

fn seek_24h(c: &mut Criterion) {
    let layout = layout();
    let t0 = layout.event.start;
    let start = t0 - TimeDelta::hours(1);
    let mut sim = Simulator::new(&layout, Scenario::ArmyDrop, 42, start);
    let events = sim.advance_to(start + TimeDelta::hours(24));
    let (l, r) = (
        warroom_core::builtin::layout(),
        warroom_core::builtin::runbook(),
    );
    let header = Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: "bench".into(),
        created: start,
        start,
        source: Source::Simulator {
            scenario: Scenario::ArmyDrop.to_string(),
            seed: 42,
        },
        layout: l,
        runbook: Some(r),
    };
    let path = std::env::temp_dir().join("warroom-bench-24h.jsonl");
    let mut src = ReplaySource::new(&layout, header, events, &path, "b".into(), None);
    let mut k = 0i64;
    c.bench_function("seek anywhere in 24 h + build model", |b| {
        b.iter(|| {
            k = (k * 7919 + 613) % (24 * 60);
            src.seek(start + TimeDelta::minutes(k));
            black_box(src.model());
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = render_frame, seek_24h
}
criterion_main!(benches);
