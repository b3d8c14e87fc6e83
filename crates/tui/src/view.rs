//! Draws one frame: the base screen laid out by `layout::plan` from the view model, then the
//! overlays in a fixed order (list overlay, help, prompt, quit confirmation). Borrows the model
//! and the UI state; mutates nothing but the buffer.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::app::UiState;
use super::incident_form;
use super::keys::Overlay;
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH, Plan, ScreenPlan};
use super::sanitize;
use super::theme::Theme;
use super::view_model::{ScreenModel, StepModel};
use super::widgets::{
    FormBox, HeaderBar, HelpOverlay, KeyHints, ListOverlay, PanelStrip, PanelView, Prompt,
    ReplayBar, RtnBar, RunbookStrip, StatusCell, TimeAxis, TooSmall,
    fit::{fit_line, with_mark},
    footer::hints_for,
    runbook_strip::action_lines,
};
use crate::model::IncidentState;

/// Draws the whole screen into a ratatui frame.
pub fn draw(frame: &mut Frame<'_>, model: &ScreenModel, ui: &UiState, theme: Theme) {
    let area = frame.area();
    render(model, ui, theme, area, frame.buffer_mut());
}

/// The layout for this model and UI state: a focused panel that would be hidden is brought
/// forward; otherwise panels keep their priority places.
pub(crate) fn plan(model: &ScreenModel, ui: &UiState, area: Rect) -> Plan {
    let specs = model.specs();
    let replay = model.replay.is_some();
    let banner = model.banner.is_some();
    let p = layout::plan(area.width, area.height, &specs, None, replay, banner);
    match (&p, ui.focus) {
        (Plan::Screen(s), Some(f)) if s.hidden.contains(&f) => {
            layout::plan(area.width, area.height, &specs, Some(f), replay, banner)
        }
        _ => p,
    }
}

/// Draws the whole screen into `buf` (tests render into a `Buffer` directly).
pub fn render(model: &ScreenModel, ui: &UiState, theme: Theme, area: Rect, buf: &mut Buffer) {
    match plan(model, ui, area) {
        Plan::TooSmall { width, height } => TooSmall {
            need: (MIN_WIDTH, MIN_HEIGHT),
            have: (width, height),
        }
        .render(area, buf),
        Plan::Screen(p) => {
            base(model, ui, theme, &p, buf);
            if area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT {
                overlays(model, ui, theme, area, buf);
            }
            // The banner must not be missed: over every overlay.
            if let (Some(text), Some(row)) = (&model.banner, p.banner) {
                banner(text, row, theme, buf);
            }
        }
    }
}

fn base(m: &ScreenModel, ui: &UiState, theme: Theme, p: &ScreenPlan, buf: &mut Buffer) {
    let t = &theme;
    let h = &m.header;
    let mode = m
        .replay
        .map_or(h.mode, |r| super::widgets::ModeBadge::Replay {
            speed: r.speed,
            paused: r.paused,
        });
    HeaderBar {
        event: &h.event,
        now: h.now,
        tz: h.tz,
        t0: h.t0,
        phase: &h.phase,
        status: h.status,
        why: h.why.as_deref(),
        data_age: h.data_age,
        stale: h.stale,
        mode,
        room: &h.room,
        theme: t,
    }
    .render(p.header, buf);
    panels(m, ui, theme, p, buf);
    RunbookStrip {
        steps: &m.runbook,
        theme: t,
    }
    .render(p.runbook, buf);
    RtnBar {
        rtn: &m.rtn,
        tz: h.tz,
        theme: t,
    }
    .render(p.rtn, buf);
    if let (Some(area), Some(r)) = (p.replay, m.replay) {
        ReplayBar {
            start: r.start,
            end: r.end,
            pos: r.pos,
            speed: r.speed,
            paused: r.paused,
            tz: h.tz,
            theme: t,
        }
        .render(area, buf);
    }
    footer(m, ui, theme, p.footer, buf);
}

/// The panels: the strip of tabs where the screen is small, then the zoomed panel or the grid.
fn panels(m: &ScreenModel, ui: &UiState, theme: Theme, p: &ScreenPlan, buf: &mut Buffer) {
    let t = &theme;
    let h = &m.header;
    let order = m.tab_order();
    let number = |i: usize| order.iter().position(|&o| o == i).map_or(0, |n| n + 1);
    if let Some(strip) = p.strip {
        PanelStrip {
            panels: &m.panels,
            order: &order,
            hidden: &p.hidden,
            focus: ui.focus,
            theme: t,
        }
        .render(strip, buf);
    }
    let zoomed = ui
        .zoom
        .then_some(ui.focus)
        .flatten()
        .filter(|&f| f < m.panels.len());
    if let Some(f) = zoomed {
        let top = p.strip.map_or(p.header.bottom(), Rect::bottom);
        let body = Rect::new(0, top, p.header.width, p.runbook.y - top);
        PanelView {
            panel: &m.panels[f],
            number: number(f),
            selected: true,
            zoomed: true,
            axis: m.newest_bucket.map(|newest| TimeAxis {
                newest,
                bucket: m.bucket,
                tz: h.tz,
                theme: t,
            }),
            theme: t,
        }
        .render(body, buf);
    } else {
        for &(i, area) in &p.panels {
            PanelView {
                panel: &m.panels[i],
                number: number(i),
                selected: ui.focus == Some(i),
                zoomed: false,
                axis: None,
                theme: t,
            }
            .render(area, buf);
        }
    }
}

/// The key hints and, right, the answer to the last action followed by the source's status.
fn footer(m: &ScreenModel, ui: &UiState, theme: Theme, area: Rect, buf: &mut Buffer) {
    let right = match &ui.notice {
        Some(n) => format!("{n}  {}", m.footer_note),
        None => m.footer_note.clone(),
    };
    KeyHints {
        hints: hints_for(ui.mode, ui.overlay, ui.read_only),
        right: &right,
        theme: &theme,
    }
    .render(area, buf);
}

/// The banner: its own line right under the header, across the screen, in the alarm style with
/// the alarm symbol (never colour alone).
fn banner(text: &str, area: Rect, t: Theme, buf: &mut Buffer) {
    let style = t.status(crate::model::Status::Red);
    let line = format!(" {} {}", t.symbol(crate::model::Status::Red), text);
    let line = sanitize::clean(&line, usize::from(area.width), !t.unicode());
    buf.set_style(area, style);
    Line::styled(line, style).render(area, buf);
}

fn overlays(m: &ScreenModel, ui: &UiState, theme: Theme, area: Rect, buf: &mut Buffer) {
    let t = &theme;
    if let Some(o) = ui.overlay {
        let width = ListOverlay::inner_width(area);
        // The selected step or incident where the list has it now.
        let row = ui.selected_row(m);
        let (mut title, mut lines) = overlay_lines(m, o, row, width, theme);
        if ui.read_only {
            // The titles name the overlay's action keys: none on a screen that only watches.
            title = match o {
                Overlay::Runbook => "Runbook (read-only screen)",
                Overlay::Incidents => "Incidents (read-only screen)",
                Overlay::Rtn => "Return to normal (read-only screen)",
                _ => title,
            };
        }
        if o == Overlay::Summary {
            let ascii = !t.unicode();
            let text = m.summary_text(ui.summary.headline.as_deref(), ui.summary.note.as_deref());
            lines = crate::summary_keys::header_lines(ui, m)
                .iter()
                .map(String::as_str)
                .chain(text.lines())
                .flat_map(|l| wrapped(l, width, ascii))
                .collect();
        }
        let mut selected = (!lines.is_empty() && o != Overlay::Summary).then_some(row);
        if o == Overlay::Rtn {
            (lines, selected) = rtn_lines(m, ui, width, !t.unicode());
        }
        let detail = match o {
            Overlay::Timeline => timeline_detail(m, ui.selected, width, theme),
            Overlay::Runbook => runbook_detail(m, row, width, theme),
            _ => Vec::new(),
        };
        ListOverlay {
            title,
            lines,
            selected,
            detail,
            theme: t,
        }
        .render(area, buf);
    }
    if ui.help {
        HelpOverlay {
            mode: ui.mode,
            read_only: ui.read_only,
            theme: t,
        }
        .render(area, buf);
    }
    if let Some(form) = &ui.form {
        FormBox { form, theme: t }.render(area, buf);
    }
    if let Some(input) = &ui.input {
        Prompt {
            label: &input.purpose.label(),
            text: &input.text,
            theme: t,
        }
        .render(area, buf);
    }
    if let Some(c) = &ui.confirm {
        Prompt {
            label: &c.question(),
            text: "",
            theme: t,
        }
        .render(area, buf);
    }
}

/// The return-to-normal overlay's lines wrapped to the box (a step is never cut at 80
/// columns), and the first line of the selected step.
fn rtn_lines(
    m: &ScreenModel,
    ui: &UiState,
    width: u16,
    ascii: bool,
) -> (Vec<Line<'static>>, Option<usize>) {
    let (rtn, sel) = crate::rtn_keys::lines(m, ui);
    let mut out = Vec::new();
    let mut selected = None;
    for (k, l) in rtn.iter().enumerate() {
        if sel == Some(k) {
            selected = Some(out.len());
        }
        if l.is_empty() {
            out.push(Line::default());
            continue;
        }
        out.extend(wrapped(l, width, ascii));
    }
    (out, selected)
}

/// One line of text, sanitised and wrapped to an overlay's width, continuation lines indented,
/// so nothing is cut at 80 columns.
fn wrapped(text: &str, width: u16, ascii: bool) -> Vec<Line<'static>> {
    let text = sanitize::sanitize(text, ascii);
    // Phone numbers, addresses and times are read whole: never split at their hyphens.
    let opts = textwrap::Options::new(usize::from(width).max(20))
        .subsequent_indent("    ")
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(&text, &opts)
        .into_iter()
        .map(|w| Line::raw(w.into_owned()))
        .collect()
}

fn overlay_lines(
    m: &ScreenModel,
    o: Overlay,
    selected: usize,
    width: u16,
    theme: Theme,
) -> (&'static str, Vec<Line<'_>>) {
    let tz = m.header.tz;
    // Entries of other days than the one shown carry their date (events run for days).
    let now = m.header.now;
    let dated = m
        .timeline
        .iter()
        .map(|e| e.at)
        .chain(m.incidents.iter().map(|i| i.opened))
        .any(|at| crate::time::crosses_day(at, now, tz));
    let fmt = if dated { "%d %b %H:%M:%S" } else { "%H:%M:%S" };
    let time = |d: chrono::DateTime<chrono::Utc>| d.with_timezone(&tz).format(fmt).to_string();
    match o {
        Overlay::Runbook => (
            "Runbook  a ack  d done  n note  x skip",
            runbook_lines(m, selected, width, theme),
        ),
        Overlay::Incidents => incident_lines(m, selected, width, theme, &time),
        Overlay::Timeline => ("Timeline", timeline_lines(m, theme, &time)),
        Overlay::People => (
            "People: room, bridge, contacts, runbook owners",
            people_lines(m, width, theme),
        ),
        // Filled by the caller, with the room's edits (wrapped, so nothing is cut).
        Overlay::Summary => ("Summary preview", Vec::new()),
        Overlay::Rtn => ("Return to normal  c confirm  x refuse  d tick", Vec::new()),
        Overlay::Help => ("Help", Vec::new()),
    }
}

/// The incidents overlay: a line per incident, the selected one's plan and history under it.
fn incident_lines<'a>(
    m: &'a ScreenModel,
    selected: usize,
    width: u16,
    theme: Theme,
    time: &dyn Fn(chrono::DateTime<chrono::Utc>) -> String,
) -> (&'static str, Vec<Line<'a>>) {
    let t = &theme;
    let ascii = !t.unicode();
    let (now, tz) = (m.header.now, m.header.tz);
    let mut lines: Vec<Line<'a>> = m
        .incidents
        .iter()
        .map(|i| incident_line(i, width, now, tz, theme))
        .collect();
    if lines.is_empty() {
        return (
            "Incidents  n new",
            vec![Line::styled("no incidents: n opens one", t.dim())],
        );
    }
    // The selected incident's plan and history under the list.
    if let Some(i) = m.incidents.get(selected) {
        lines.push(Line::default());
        lines.push(Line::styled(
            format!(
                "{}: opened {} by {}, updated {}",
                sanitize::sanitize(&i.id, ascii),
                time(i.opened),
                sanitize::sanitize(&i.opened_by, ascii),
                time(i.updated),
            ),
            t.title(),
        ));
        lines.extend(incident_detail(i, time, width, ascii));
    }
    (
        "Incidents  n new  e edit  x resolve (asks the cause)",
        lines,
    )
}

/// The timeline overlay: an entry a line, post-mortem notes set apart in italics.
fn timeline_lines<'a>(
    m: &'a ScreenModel,
    theme: Theme,
    time: &dyn Fn(chrono::DateTime<chrono::Utc>) -> String,
) -> Vec<Line<'a>> {
    let t = &theme;
    let ascii = !t.unicode();
    m.timeline
        .iter()
        .map(|e| {
            let mut spans = vec![Span::raw(format!("{} ", time(e.at)))];
            if let Some(s) = e.status {
                spans.push(StatusCell::new(s, t).symbol_span());
                spans.push(Span::raw(" "));
            }
            // Post-mortem notes (made while replaying) say so in their text and are
            // set apart in italics from what the room did.
            let text = sanitize::sanitize(&e.text, ascii);
            if e.post_mortem {
                spans.push(Span::styled(text, t.dim().italic()));
            } else {
                spans.push(Span::raw(text));
            }
            Line::from(spans)
        })
        .collect()
}

/// Rows of a timeline entry's detail at most (the overlay draws no more).
const DETAIL_ROWS: usize = 4;

/// The selected timeline entry in full, wrapped, when its one line is cut at `width`.
fn timeline_detail<'a>(
    m: &ScreenModel,
    selected: usize,
    width: u16,
    theme: Theme,
) -> Vec<Line<'a>> {
    let Some(e) = m.timeline.get(selected) else {
        return Vec::new();
    };
    let text = sanitize::sanitize(&e.text, !theme.unicode());
    // `HH:MM:SS ● ` before the text on its line.
    let prefix = 9 + if e.status.is_some() { 2 } else { 0 };
    if prefix + text.width() <= usize::from(width) {
        return Vec::new();
    }
    detail_rows(&text, width, theme)
}

/// The selected step in full (title, owner, what its state does not say), wrapped, when its
/// line in the list is cut at `width`.
fn runbook_detail<'a>(m: &ScreenModel, selected: usize, width: u16, theme: Theme) -> Vec<Line<'a>> {
    let Some(s) = m.runbook.get(selected) else {
        return Vec::new();
    };
    let (head, title, tail) = step_parts(s, !theme.unicode());
    // The state's symbol before the text on its line.
    if 1 + head.width() + title.width() + tail.width() <= usize::from(width) {
        return Vec::new();
    }
    detail_rows(&format!("{}{title}{tail}", head.trim_start()), width, theme)
}

/// `text` (sanitised) wrapped to `width` between words, in [`DETAIL_ROWS`] rows at most, the
/// last ending with ` …` when more was left out.
fn detail_rows<'a>(text: &str, width: u16, theme: Theme) -> Vec<Line<'a>> {
    let opts = textwrap::Options::new(usize::from(width).max(20))
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut rows: Vec<Line<'a>> = textwrap::wrap(text, &opts)
        .into_iter()
        .map(|r| Line::raw(r.into_owned()))
        .collect();
    if rows.len() > DETAIL_ROWS {
        rows.truncate(DETAIL_ROWS);
        let last = rows.pop().unwrap_or_default();
        let more = format!(" {}", theme.ellipsis());
        rows.push(with_mark(last, usize::from(width), &more));
    }
    rows
}

/// One incident in the overlay's list: id, severity, state, title, owner and ETA; the title
/// gives way so owner and ETA always show. Resolved ones are dimmed.
fn incident_line<'a>(
    i: &super::view_model::IncidentModel,
    width: u16,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
    theme: Theme,
) -> Line<'a> {
    let t = &theme;
    let ascii = !t.unicode();
    let sev = i.severity.map_or("-", incident_form::severity_word);
    let head = format!(
        "{}  {:<8} {:<13} ",
        sanitize::sanitize(&i.id, ascii),
        sev.to_uppercase(),
        incident_form::state_word(i.state),
    );
    // An ETA gone by while the incident is open is flagged: the room owes a new one.
    let passed = i.state != IncidentState::Resolved && i.eta.is_some_and(|e| e < now);
    let tail = format!(
        "  owner {}  ETA {}{}",
        sanitize::sanitize(i.owner.as_deref().unwrap_or("-"), ascii),
        // Times on the event's clock, its zone named (as the footer's read-back says them).
        i.eta.map_or("-".to_string(), |e| e
            .with_timezone(&tz)
            .format("%H:%M %Z")
            .to_string()),
        if passed { " PASSED" } else { "" },
    );
    let room = usize::from(width)
        .saturating_sub(head.width() + tail.width())
        .max(8);
    let title = sanitize::truncate(&sanitize::sanitize(&i.title, ascii), room, t.ellipsis());
    let line = Line::raw(format!("{head}{title}{tail}"));
    if i.state == IncidentState::Resolved {
        line.style(t.dim())
    } else if passed {
        line.style(t.status(crate::model::Status::Yellow))
    } else {
        line
    }
}

/// The selected incident's plan, impact start and cause, under the list, wrapped to `width`.
fn incident_detail<'a>(
    i: &super::view_model::IncidentModel,
    time: &dyn Fn(chrono::DateTime<chrono::Utc>) -> String,
    width: u16,
    ascii: bool,
) -> Vec<Line<'a>> {
    let mut out = wrapped(
        &format!(
            "  plan: {}",
            i.plan.as_deref().unwrap_or("(none yet: e to add)")
        ),
        width,
        ascii,
    );
    out.push(Line::raw(format!(
        "  impact from: {}",
        i.impact_start
            .map_or_else(|| "(not given: e to add)".to_string(), time)
    )));
    if let Some(c) = &i.cause {
        out.extend(wrapped(&format!("  cause: {c}"), width, ascii));
    }
    out
}

/// The people overlay: section heads in the title style.
fn people_lines<'a>(m: &ScreenModel, width: u16, theme: Theme) -> Vec<Line<'a>> {
    let ascii = !theme.unicode();
    m.people
        .iter()
        .flat_map(|l| {
            if l.starts_with(' ') || l.starts_with("Bridge") || l.is_empty() {
                // A number or an address is read whole: wrapped, never cut.
                wrapped(l, width, ascii)
            } else {
                vec![Line::styled(sanitize::sanitize(l, ascii), theme.title())]
            }
        })
        .collect()
}

/// Every step with its state, and the selected step's actions wrapped to `width`.
fn runbook_lines<'a>(m: &ScreenModel, selected: usize, width: u16, theme: Theme) -> Vec<Line<'a>> {
    let t = &theme;
    let ascii = !t.unicode();
    let mut lines: Vec<Line<'a>> = m
        .runbook
        .iter()
        .map(|s| step_line(s, width, theme))
        .collect();
    // The selected step's actions under the list.
    if let Some(step) = m.runbook.get(selected) {
        lines.push(Line::default());
        let owner = step.owner.as_deref().map_or_else(String::new, |o| {
            format!(" (owner: {})", sanitize::sanitize(o, ascii))
        });
        let title = format!("{} actions{owner}:", sanitize::sanitize(&step.id, ascii));
        lines.push(Line::styled(title, t.title()));
        lines.extend(
            action_lines(&step.actions, usize::from(width), "  ", theme)
                .into_iter()
                .map(Line::raw),
        );
    }
    lines
}

/// A step's line in the runbook overlay, sanitised: (` RB-03  FIRING   `, its title, ` · owner
/// since 20:07`).
fn step_parts(s: &StepModel, ascii: bool) -> (String, String, String) {
    let head = format!(
        " {:<6} {:<8} ",
        sanitize::sanitize(&s.id, ascii),
        s.state.word()
    );
    let mut tail = s.owner_text(ascii);
    if !s.detail.is_empty() {
        tail.push_str("  ");
        tail.push_str(&sanitize::sanitize(&s.detail, ascii));
    }
    (head, sanitize::sanitize(&s.title, ascii), tail)
}

/// A step's line in the runbook overlay: the title gives way (to its first words and an
/// ellipsis) so the owner and what the state does not say stay in view.
fn step_line<'a>(s: &StepModel, width: u16, theme: Theme) -> Line<'a> {
    let t = &theme;
    let (head, title, tail) = step_parts(s, !t.unicode());
    let room = usize::from(width)
        .saturating_sub(1 + head.width() + tail.width())
        .max(12);
    let title = fit_line(Line::raw(title), room, t.ellipsis());
    let mut spans = vec![
        StatusCell::new(s.state.status(), t).symbol_span(),
        Span::raw(head),
    ];
    spans.extend(title.spans);
    spans.push(Span::raw(tail));
    Line::from(spans)
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
