//! Parses the runbook Markdown (title, pre-event checklist, `### RB-NN: Title` steps with their
//! `when:` / `owner:` / `verify:` keys and action text, return-to-normal procedure) into the
//! validated `Runbook`, resolving triggers against the layout's names. Positions come from
//! pulldown-cmark's offset iterator; key lists are read from the raw text so expressions keep
//! exact offsets (and `*` is never taken for emphasis).

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::error::{Diagnostic, SourceFile};
use super::expr::Expr;
use super::resolve::{ExprContext, Names, resolve};
use super::runbook::{ChecklistItem, RtnItem, RtnTrack, Runbook, Step, action_blocks};
use crate::model::event::EmbeddedFile;

/// A top-level block of the document.
#[derive(Debug)]
enum Block {
    Heading {
        level: u8,
        text: String,
        range: Range<usize>,
    },
    List {
        items: Vec<Range<usize>>,
    },
    Other {
        range: Range<usize>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Intro,
    Checklist,
    Steps,
    ReturnToNormal,
    Other,
}

pub(crate) fn parse(file: &EmbeddedFile, names: &Names) -> Result<Runbook, Vec<Diagnostic>> {
    let src = SourceFile::new(&file.path, &file.text);
    let mut p = RunbookParser {
        src,
        names,
        errors: Vec::new(),
        seen: HashMap::new(),
    };
    let blocks = blocks(&file.text);
    let mut title = None;
    let mut checklist = Vec::new();
    let mut steps = Vec::new();
    let mut rtn = Vec::new();
    let mut track: Option<RtnTrack> = None;
    let mut section = Section::Intro;
    let mut i = 0;
    while i < blocks.len() {
        match &blocks[i] {
            Block::Heading { level: 1, text, .. } if title.is_none() => {
                title = Some(text.clone());
            }
            Block::Heading {
                level: 1 | 2, text, ..
            } => {
                section = section_of(text);
                track = None;
            }
            Block::Heading { level: 3, text, .. }
                if section == Section::ReturnToNormal && !text.trim_start().starts_with("RB-") =>
            {
                track = RtnTrack::of_heading(text);
            }
            Block::Heading {
                level: 3,
                text,
                range,
            } if section == Section::Steps || text.trim_start().starts_with("RB-") => {
                let (end, step) = p.step_block(&blocks, i, section == Section::Steps, text, range);
                steps.extend(step);
                i = end;
                continue;
            }
            Block::List { items } if section == Section::Checklist => {
                checklist.extend(items.iter().map(|r| checklist_item(p.src.slice(r.clone()))));
            }
            Block::List { items } if section == Section::ReturnToNormal => {
                rtn.extend(
                    items
                        .iter()
                        .map(|r| rtn_item(collapse(strip_marker(p.src.slice(r.clone())).1), track)),
                );
            }
            Block::Other { range } if section == Section::ReturnToNormal => {
                rtn.push(rtn_item(collapse(p.src.slice(range.clone())), track));
            }
            _ => {}
        }
        i += 1;
    }
    if title.is_none() {
        p.err(
            0,
            "runbook has no title \"\"".into(),
            "",
            "start the file with `# Title`",
        );
    }
    if !p.errors.is_empty() {
        p.errors.sort_by_key(|d| (d.line, d.col));
        return Err(p.errors);
    }
    Ok(Runbook {
        path: file.path.clone(),
        text: file.text.clone(),
        checklist,
        steps,
        return_to_normal: rtn,
    })
}

fn rtn_item(text: String, track: Option<RtnTrack>) -> RtnItem {
    let track = track.unwrap_or_else(|| RtnTrack::guess(&text));
    RtnItem { text, track }
}

fn section_of(heading: &str) -> Section {
    match heading.trim().to_ascii_lowercase().as_str() {
        "pre-event checklist" | "checklist" => Section::Checklist,
        "steps" => Section::Steps,
        "return to normal" => Section::ReturnToNormal,
        _ => Section::Other,
    }
}

/// The document's top-level blocks, with list items at their first level.
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut heading: Option<(u8, String, Range<usize>)> = None;
    for (ev, range) in Parser::new_ext(text, Options::ENABLE_TASKLISTS).into_offset_iter() {
        match ev {
            Event::Start(tag) => {
                if depth == 0 {
                    match tag {
                        Tag::Heading { level, .. } => {
                            heading = Some((level_num(level), String::new(), range));
                        }
                        Tag::List(_) => out.push(Block::List { items: Vec::new() }),
                        _ => out.push(Block::Other { range }),
                    }
                } else if depth == 1
                    && matches!(tag, Tag::Item)
                    && let Some(Block::List { items }) = out.last_mut()
                {
                    items.push(range);
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && matches!(end, TagEnd::Heading(_))
                    && let Some((level, text, range)) = heading.take()
                {
                    out.push(Block::Heading { level, text, range });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, s, _)) = heading.as_mut() {
                    s.push_str(&t);
                }
            }
            _ if depth == 0 => out.push(Block::Other { range }),
            _ => {}
        }
    }
    out
}

fn level_num(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Splits a list item's raw text into (offset of its content, content).
fn strip_marker(item: &str) -> (usize, &str) {
    let t = item.trim_start();
    let mut off = item.len() - t.len();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let marker = if t.starts_with(['-', '*', '+']) {
        1
    } else if digits > 0 && t[digits..].starts_with(['.', ')']) {
        digits + 1
    } else {
        0
    };
    let rest = &t[marker..];
    let content = rest.trim_start();
    off += marker + (rest.len() - content.len());
    (off, content.trim_end())
}

/// Joins a block's lines into one line.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn checklist_item(raw: &str) -> ChecklistItem {
    let (_, content) = strip_marker(raw);
    let (done, text) = if let Some(rest) = content.strip_prefix("[ ]") {
        (false, rest)
    } else if let Some(rest) = content
        .strip_prefix("[x]")
        .or_else(|| content.strip_prefix("[X]"))
    {
        (true, rest)
    } else {
        (false, content)
    };
    ChecklistItem {
        text: collapse(text),
        done,
    }
}

struct RunbookParser<'a> {
    src: SourceFile<'a>,
    names: &'a Names,
    errors: Vec<Diagnostic>,
    /// Step id -> line of its heading.
    seen: HashMap<String, usize>,
}

const STEP_KEYS: [&str; 3] = ["when", "owner", "verify"];

impl RunbookParser<'_> {
    fn err(&mut self, at: usize, message: String, value: &str, hint: &str) {
        let d = self.src.diag(at, message, value, hint);
        self.errors.push(d);
    }

    /// The step whose heading is `blocks[i]`, read up to the next heading (refused outside the
    /// `## Steps` section); returns where it ends.
    fn step_block(
        &mut self,
        blocks: &[Block],
        i: usize,
        in_steps: bool,
        text: &str,
        range: &Range<usize>,
    ) -> (usize, Option<Step>) {
        let end = blocks[i + 1..]
            .iter()
            .position(|b| matches!(b, Block::Heading { level: 1..=3, .. }))
            .map_or(blocks.len(), |n| i + 1 + n);
        if in_steps {
            return (end, self.step(text, range, &blocks[i + 1..end]));
        }
        self.err(
            range.start,
            format!("step \"{}\" outside the \"## Steps\" section", text.trim()),
            text.trim(),
            "put steps under a `## Steps` heading",
        );
        (end, None)
    }

    fn step(&mut self, heading: &str, range: &Range<usize>, body: &[Block]) -> Option<Step> {
        let raw = self.src.slice(range.clone());
        let text_at = range.start + (raw.len() - raw.trim_start_matches(['#', ' ']).len());
        let (line, _) = self.src.line_col(range.start);
        let Some((id, title)) = heading.split_once(':') else {
            self.err(
                text_at,
                format!("step heading \"{}\" has no id", heading.trim()),
                heading.trim(),
                "step headings look like `### RB-01: Seoul targets unhealthy`",
            );
            return None;
        };
        let id = id.trim();
        let digits = id.strip_prefix("RB-").unwrap_or("");
        if digits.len() < 2 || !digits.chars().all(|c| c.is_ascii_digit()) {
            self.err(
                text_at,
                format!("invalid step id \"{id}\""),
                id,
                "step ids are RB- and two or more digits: RB-01, RB-12",
            );
            return None;
        }
        if let Some(first) = self.seen.get(id) {
            let hint = format!("first defined at line {first}; step ids must be unique");
            self.err(text_at, format!("duplicate step id \"{id}\""), id, &hint);
            return None;
        }
        self.seen.insert(id.to_string(), line);
        let Some(Block::List { items }) = body.first() else {
            self.err(
                text_at,
                format!("step \"{id}\" has no key list"),
                id,
                "right under the heading, list `- when: ...`, `- owner: ...`, `- verify: ...`",
            );
            return None;
        };
        let mut keys = self.keys(id, items);
        let Some((when_at, when_text)) = keys.remove("when") else {
            self.err(
                text_at,
                format!("step \"{id}\" has no \"when\""),
                id,
                "add `- when: <condition>` to its key list, e.g. `- when: seoul.cpu > 85 for 5m`",
            );
            return None;
        };
        let when = self.condition(when_at, &when_text);
        let verify = keys.remove("verify");
        let verify_expr = verify.as_ref().map(|(at, t)| self.condition(*at, t));
        let action = match (body.get(1), body.last()) {
            (Some(first), Some(last)) if body.len() > 1 => self
                .src
                .slice(block_start(first)..block_end(last))
                .trim()
                .to_string(),
            _ => String::new(),
        };
        Some(Step {
            id: id.to_string(),
            title: title.trim().to_string(),
            when: when?,
            when_text,
            owner: keys.remove("owner").map(|(_, o)| o),
            actions: action_blocks(&action),
            action,
            verify: verify_expr.flatten(),
        })
    }

    /// The step's `key: value` items: key -> (offset of the value, value without backticks).
    fn keys(&mut self, id: &str, items: &[Range<usize>]) -> HashMap<&'static str, (usize, String)> {
        let mut keys: HashMap<&'static str, (usize, String)> = HashMap::new();
        for item in items {
            let raw = self.src.slice(item.clone());
            let (off, content) = strip_marker(raw);
            let at = item.start + off;
            let Some((key, value)) = content.split_once(':') else {
                self.err(
                    at,
                    format!("expected \"key: value\" in step {id}, found \"{}\"", collapse(content)),
                    content,
                    "step keys are when, owner, verify; the actions follow the key list, and a checklist \
                     of them needs another marker (`*` or `1.`): Markdown joins two `-` lists",
                );
                continue;
            };
            let key = key.trim();
            let Some(&known) = STEP_KEYS.iter().find(|k| **k == key) else {
                self.err(
                    at,
                    format!("unknown key \"{key}\" in step {id}"),
                    key,
                    "step keys are: when, owner, verify",
                );
                continue;
            };
            if keys.contains_key(known) {
                self.err(
                    at,
                    format!("duplicate key \"{key}\" in step {id}"),
                    key,
                    "give each key once",
                );
                continue;
            }
            let value_at = at + content.len() - value.len();
            keys.insert(known, unquote(value, value_at));
        }
        keys
    }

    fn condition(&mut self, at: usize, text: &str) -> Option<Expr> {
        let r = super::expr_parse::parse_expr(text).and_then(|mut e| {
            resolve(&mut e, text, self.names, ExprContext::Condition).map(|()| e)
        });
        match r {
            Ok(e) => Some(e),
            Err(e) => {
                let d = self.src.expr_diag(at, &e);
                self.errors.push(d);
                None
            }
        }
    }
}

/// A value without surrounding whitespace and backticks, with its offset.
fn unquote(value: &str, at: usize) -> (usize, String) {
    let t = value.trim_start();
    let mut at = at + value.len() - t.len();
    let mut t = t.trim_end();
    let ticks = t.chars().take_while(|&c| c == '`').count();
    if ticks > 0 && t.len() > 2 * ticks && t.ends_with(&"`".repeat(ticks)) {
        t = &t[ticks..t.len() - ticks];
        let inner = t.trim_start();
        at += ticks + (t.len() - inner.len());
        t = inner.trim_end();
    }
    (at, t.to_string())
}

fn block_start(b: &Block) -> usize {
    match b {
        Block::Heading { range, .. } | Block::Other { range } => range.start,
        Block::List { items } => items.first().map_or(0, |r| r.start),
    }
}

fn block_end(b: &Block) -> usize {
    match b {
        Block::Heading { range, .. } | Block::Other { range } => range.end,
        Block::List { items } => items.last().map_or(0, |r| r.end),
    }
}

#[cfg(test)]
#[path = "runbook_parse_tests.rs"]
mod tests;
