//! Configuration: the layout (TOML) and the runbook (Markdown) it names, parsed and validated
//! into the typed `Layout` every later stage reads. Errors name file, line and column.
//!
//! Flow: `raw` (serde shapes) -> `load` / `load_series` / `load_summary` (checks, ids, regions)
//! -> `resolve` (expression names and types) -> `runbook_parse` (steps against the layout).
//! `check_report` is the one-screen summary `warroom check` prints.

pub mod error;
pub mod expr;
mod expr_lex;
mod expr_parse;
pub mod layout;
mod load;
mod load_availability;
mod load_checks;
mod load_readiness;
mod load_series;
mod load_summary;
mod loader;
mod names;
mod raw;
pub mod read;
pub mod readiness;
mod report;
mod resolve;
pub mod runbook;
mod runbook_action;
mod runbook_parse;
mod suggest;
mod toml_err;

use std::path::{Component, Path, PathBuf};

pub use error::{ConfigError, Diagnostic, ExprError};
pub use expr_lex::parse_duration;
pub use layout::Layout;
pub use load_readiness::{is_quota_series, quota_series as quota_series_of};
pub use readiness::QUOTA_SERIES_PREFIX;
pub use report::check_report;
pub use resolve::{ExprContext, Names};
pub use suggest::edit_distance;

use crate::model::event::EmbeddedFile;
use error::SourceFile;

/// Global Accelerator's control plane and metrics live in us-west-2 only.
pub const GA_API_REGION: &str = "us-west-2";

/// Reads and validates a layout file and the runbook it names (relative to the layout's
/// directory).
pub fn load(path: &Path) -> Result<Layout, ConfigError> {
    let shown = path.display().to_string();
    let text = read::read_text(path, read::MAX_CONFIG_BYTES).map_err(|e| {
        ConfigError::from(Diagnostic {
            file: shown.clone(),
            line: 1,
            col: 1,
            message: format!("cannot read layout \"{shown}\": {e}"),
            value: shown.clone(),
            hint: "give the path of a layout TOML file (see docs/layout.md)".into(),
        })
    })?;
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
    build(&EmbeddedFile { path: shown, text }, Runbook::Disk(&base))
}

/// Validates a layout and runbook given as texts (a recording's header embeds both); the
/// layout's `runbook` key is not read from disk.
pub fn load_texts(
    layout: &EmbeddedFile,
    runbook: Option<&EmbeddedFile>,
) -> Result<Layout, ConfigError> {
    build(layout, Runbook::Given(runbook))
}

#[cfg(test)]
/// Parses an expression and resolves it against a layout: a condition (runbook trigger,
/// criterion) or metric math.
pub(crate) fn resolve_expr(
    text: &str,
    layout: &Layout,
    ctx: ExprContext,
) -> Result<expr::Expr, ExprError> {
    let mut e = expr_parse::parse_expr(text)?;
    resolve::resolve(&mut e, text, &Names::from_layout(layout), ctx)?;
    Ok(e)
}

enum Runbook<'a> {
    Disk(&'a Path),
    Given(Option<&'a EmbeddedFile>),
}

fn build(file: &EmbeddedFile, runbook: Runbook<'_>) -> Result<Layout, ConfigError> {
    let src = SourceFile::new(&file.path, &file.text);
    too_large(file)?;
    let raw: raw::RawLayout = toml::from_str(&file.text)
        .map_err(|e| ConfigError::from(toml_err::diagnostic(&src, &e)))?;
    let runbook_key = raw.event.get_ref().runbook.clone();
    let mut layout = load::build(&file.path, &file.text, raw)
        .map_err(|diagnostics| ConfigError { diagnostics })?;
    let rb_file = match (runbook, runbook_key) {
        (Runbook::Given(f), _) => f.cloned(),
        (Runbook::Disk(_), None) => None,
        (Runbook::Disk(base), Some(key)) => {
            let path = normalise(&base.join(key.get_ref()));
            let shown = path.display().to_string();
            match read::read_text(&path, read::MAX_CONFIG_BYTES) {
                Ok(text) => Some(EmbeddedFile { path: shown, text }),
                Err(e) => {
                    // The path as resolved: where exactly it was looked for, whatever the
                    // directory warroom ran in.
                    let looked = std::env::current_dir()
                        .map_or_else(|_| path.clone(), |cwd| normalise(&cwd.join(&path)));
                    return Err(src
                        .diag(
                            key.span().start,
                            format!("cannot read runbook \"{}\": {e}", key.get_ref()),
                            key.get_ref(),
                            format!(
                                "the path is relative to the layout's directory (looked for {})",
                                looked.display()
                            ),
                        )
                        .into());
                }
            }
        }
    };
    if let Some(f) = rb_file {
        too_large(&f)?;
        let names = Names::from_layout(&layout);
        let rb =
            runbook_parse::parse(&f, &names).map_err(|diagnostics| ConfigError { diagnostics })?;
        layout.runbook = Some(rb);
    }
    Ok(layout)
}

/// A layout or runbook text (from disk or embedded in a recording) over the size limit.
fn too_large(file: &EmbeddedFile) -> Result<(), ConfigError> {
    let size = file.text.len() as u64;
    if size <= read::MAX_CONFIG_BYTES {
        return Ok(());
    }
    Err(Diagnostic {
        file: file.path.clone(),
        line: 1,
        col: 1,
        message: format!(
            "\"{}\" is too large: {}",
            file.path,
            read::ReadError::TooLarge {
                size,
                max: read::MAX_CONFIG_BYTES
            }
        ),
        value: file.path.clone(),
        hint: "a layout or runbook describes one event; split it".into(),
    }
    .into())
}

/// `layouts/../runbooks/x.md` -> `runbooks/x.md`, without touching the file system.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_relative_paths() {
        assert_eq!(
            normalise(Path::new("layouts/../runbooks/x.md")),
            PathBuf::from("runbooks/x.md")
        );
        assert_eq!(normalise(Path::new("../a/./b")), PathBuf::from("../a/b"));
        assert_eq!(normalise(Path::new("/x/y/../z")), PathBuf::from("/x/z"));
    }
}
