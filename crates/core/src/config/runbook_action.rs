//! A runbook step's action text as the room reads it: the Markdown's structure decides what is a
//! checklist item (each list item, at any depth, numbered or not, task-list markers dropped) and
//! what is prose (a paragraph, a code block, a `####` sub-heading), for the dashboard's runbook
//! strip and overlay. Inline Markdown is kept as written (code spans keep their backticks,
//! emphasis its stars); line breaks inside a block are joined with a space.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// One block of a step's action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionBlock {
    /// A paragraph (or a code block, a sub-heading): read, not ticked.
    Prose(String),
    /// A list item: one thing to do.
    Item(String),
}

impl ActionBlock {
    /// The block's text.
    pub fn text(&self) -> &str {
        match self {
            ActionBlock::Prose(t) | ActionBlock::Item(t) => t,
        }
    }
}

/// Where the text of the events being read goes.
#[derive(Default)]
struct Blocks {
    out: Vec<ActionBlock>,
    /// The open list items, innermost last: their places in `out`.
    items: Vec<usize>,
    /// A block of prose outside any list, being read.
    prose: Option<String>,
    /// Inside a link or an image (kept as written), how many tags deep.
    raw: usize,
}

impl Blocks {
    fn buffer(&mut self) -> Option<&mut String> {
        if let Some(p) = self.prose.as_mut() {
            return Some(p);
        }
        let &i = self.items.last()?;
        match &mut self.out[i] {
            ActionBlock::Item(t) | ActionBlock::Prose(t) => Some(t),
        }
    }

    fn push(&mut self, s: &str) {
        if let Some(b) = self.buffer() {
            b.push_str(s);
        }
    }

    fn start(&mut self, tag: &Tag<'_>, raw: &str) {
        match tag {
            Tag::Item => {
                self.items.push(self.out.len());
                self.out.push(ActionBlock::Item(String::new()));
            }
            Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Table(_)
                if self.items.is_empty() && self.prose.is_none() =>
            {
                self.prose = Some(String::new());
            }
            Tag::Link { .. } | Tag::Image { .. } => {
                self.push(raw);
                self.raw = 1;
            }
            Tag::Emphasis => self.push("*"),
            Tag::Strong => self.push("**"),
            Tag::Strikethrough => self.push("~~"),
            // A block inside an item (a paragraph of a loose list, a code block) is set apart
            // from the item's text before it.
            _ => self.push(" "),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Item => {
                self.items.pop();
            }
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Table
                if self.items.is_empty() =>
            {
                if let Some(p) = self.prose.take() {
                    self.out.push(ActionBlock::Prose(p));
                }
            }
            TagEnd::Emphasis => self.push("*"),
            TagEnd::Strong => self.push("**"),
            TagEnd::Strikethrough => self.push("~~"),
            _ => self.push(" "),
        }
    }

    fn event(&mut self, ev: Event<'_>, range: Range<usize>, text: &str) {
        if self.raw > 0 {
            match ev {
                Event::Start(_) => self.raw += 1,
                Event::End(_) => self.raw -= 1,
                _ => {}
            }
            return;
        }
        match ev {
            Event::Start(tag) => self.start(&tag, text.get(range).unwrap_or_default()),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::InlineHtml(t) | Event::InlineMath(t) => self.push(&t),
            Event::Code(c) => {
                // As many backticks around it as it needs, so it reads as written.
                let ticks = "`".repeat(longest_run(&c, '`') + 1);
                let pad = if c.starts_with('`') || c.ends_with('`') {
                    " "
                } else {
                    ""
                };
                self.push(&format!("{ticks}{pad}{c}{pad}{ticks}"));
            }
            Event::SoftBreak | Event::HardBreak => self.push(" "),
            // HTML blocks (comments, mostly) are not shown by a Markdown viewer either;
            // task-list markers and rules say nothing to do.
            _ => {}
        }
    }
}

/// The longest run of `c` in `s`.
fn longest_run(s: &str, c: char) -> usize {
    s.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// A step's action text (Markdown) as prose and checklist items, in the order written. Empty
/// blocks are left out; each block's text is on one line.
pub fn action_blocks(text: &str) -> Vec<ActionBlock> {
    let mut b = Blocks::default();
    let options = Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    for (ev, range) in Parser::new_ext(text, options).into_offset_iter() {
        b.event(ev, range, text);
    }
    b.out
        .into_iter()
        .filter_map(|block| {
            let joined = block
                .text()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            (!joined.is_empty()).then_some(match block {
                ActionBlock::Prose(_) => ActionBlock::Prose(joined),
                ActionBlock::Item(_) => ActionBlock::Item(joined),
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "runbook_action_tests.rs"]
mod tests;
