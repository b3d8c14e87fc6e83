//! The status scale every evaluation produces: Green, Unknown, Yellow, Blind, Red.
//! Unknown (stale or missing data) is never shown as Green; Blind is the overall status when
//! part of what it stands for cannot be seen.

use serde::{Deserialize, Serialize};

/// Ordered from best to worst, so `max()` over a group is the group's status.
/// Unknown sits above Green: a panel with one stale series and the rest green is Unknown.
/// Blind is only ever an overall status (never a series', a group's or a panel's): some panel
/// is Unknown and none Red, so the room cannot tell that things are only Yellow or Green.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Green,
    Unknown,
    Yellow,
    Blind,
    Red,
}

impl Status {
    /// The word shown next to the colour, so nothing is conveyed by colour alone.
    pub fn word(self) -> &'static str {
        match self {
            Status::Green => "GREEN",
            Status::Unknown => "UNKNOWN",
            Status::Yellow => "YELLOW",
            Status::Blind => "BLIND",
            Status::Red => "RED",
        }
    }

    /// A symbol for the status in UTF-8 terminals.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Green => "●",
            Status::Unknown => "?",
            Status::Yellow => "▲",
            Status::Blind => "◌",
            Status::Red => "✖",
        }
    }

    /// The ASCII fallback of [`Status::symbol`].
    pub fn ascii_symbol(self) -> &'static str {
        match self {
            Status::Green => "o",
            Status::Unknown => "?",
            Status::Yellow => "!",
            Status::Blind => "*",
            Status::Red => "X",
        }
    }

    /// The worst of several statuses; Green for none.
    pub fn worst(items: impl IntoIterator<Item = Status>) -> Status {
        items.into_iter().max().unwrap_or(Status::Green)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_prefers_red_then_yellow_then_unknown() {
        assert_eq!(
            Status::worst([Status::Green, Status::Unknown]),
            Status::Unknown
        );
        assert_eq!(
            Status::worst([Status::Unknown, Status::Yellow]),
            Status::Yellow
        );
        assert_eq!(Status::worst([Status::Red, Status::Yellow]), Status::Red);
        assert_eq!(Status::worst([]), Status::Green);
    }
}
