//! The directory sink: one Markdown file per summary, `<id>.md`, written to a temporary file and
//! renamed so a reader never sees half a summary. Writing the same id again replaces the file.

use std::path::PathBuf;

use super::SendError;
use crate::model::Summary;
use crate::summary::render::markdown;

pub struct DirectorySink {
    pub(crate) name: String,
    pub(crate) dir: PathBuf,
}

impl DirectorySink {
    pub fn new(name: String, dir: PathBuf) -> Self {
        DirectorySink { name, dir }
    }

    pub fn send(&self, s: &Summary) -> Result<String, SendError> {
        let fail = |what: &str, e: std::io::Error| {
            SendError::new(format!("{what} {}: {e}", self.dir.display()))
        };
        std::fs::create_dir_all(&self.dir).map_err(|e| fail("cannot create", e))?;
        let file = self.dir.join(format!("{}.md", s.id));
        let tmp = self.dir.join(format!(".{}.md.tmp", s.id));
        std::fs::write(&tmp, markdown::render(s)).map_err(|e| fail("cannot write in", e))?;
        std::fs::rename(&tmp, &file).map_err(|e| fail("cannot rename in", e))?;
        Ok(format!("wrote {}", file.display()))
    }
}
