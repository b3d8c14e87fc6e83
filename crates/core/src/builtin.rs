//! The reference event's layout and runbook, compiled in so `warroom demo` works from any
//! directory on a fresh machine.

use crate::model::EmbeddedFile;

pub const LAYOUT_PATH: &str = "layouts/hybrid-bts.toml";
pub const RUNBOOK_PATH: &str = "runbooks/hybrid-bts.md";

pub fn layout() -> EmbeddedFile {
    EmbeddedFile {
        path: LAYOUT_PATH.into(),
        text: include_str!("../../../layouts/hybrid-bts.toml").into(),
    }
}

pub fn runbook() -> EmbeddedFile {
    EmbeddedFile {
        path: RUNBOOK_PATH.into(),
        text: include_str!("../../../runbooks/hybrid-bts.md").into(),
    }
}
