//! Reading a layout or a runbook from disk, bounded: regular files only (a FIFO would block the
//! open or the read forever, `/dev/zero` would never end), at most [`MAX_CONFIG_BYTES`], UTF-8.
//! The file is opened without blocking and checked on the open handle, so nothing swapped in
//! between a check and the open can hang `check`, `watch` or `collect`.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Largest layout or runbook read: 16 MiB (a layout of 40,000 series is about 8 MiB).
pub const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// Why a configuration file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not a regular file but {0}")]
    NotRegular(&'static str),
    #[error("{size} bytes, larger than the {max} bytes a layout or runbook may have")]
    TooLarge { size: u64, max: u64 },
    #[error("not UTF-8 text")]
    NotUtf8,
}

/// The text of the regular file at `path`, at most `max` bytes.
pub fn read_text(path: &Path, max: u64) -> Result<String, ReadError> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits().cast_signed())
        .open(path)?;
    let meta = file.metadata()?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotRegular(describe(kind)));
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            max,
        });
    }
    read_bounded(file, max)
}

/// Reads at most `max` bytes (the file may have grown since it was measured).
fn read_bounded(file: File, max: u64) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            max,
        });
    }
    String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)
}

fn describe(kind: std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("x.toml");
        std::fs::write(&p, "a = 1\n").expect("write");
        assert_eq!(read_text(&p, 100).expect("reads"), "a = 1\n");
    }

    #[test]
    fn refuses_devices_directories_and_fifos_without_blocking() {
        let e = read_text(Path::new("/dev/zero"), MAX_CONFIG_BYTES).expect_err("device");
        assert_eq!(e.to_string(), "not a regular file but a character device");
        let dir = tempfile::tempdir().expect("tempdir");
        let e = read_text(dir.path(), MAX_CONFIG_BYTES).expect_err("directory");
        assert!(matches!(e, ReadError::NotRegular("a directory")), "{e}");
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .expect("mkfifo");
        // No writer: a blocking open would hang here.
        let e = read_text(&fifo, MAX_CONFIG_BYTES).expect_err("fifo");
        assert!(matches!(e, ReadError::NotRegular("a FIFO")), "{e}");
    }

    #[test]
    fn refuses_files_over_the_limit_and_non_utf8() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("big.toml");
        std::fs::write(&p, "x".repeat(101)).expect("write");
        let e = read_text(&p, 100).expect_err("too large");
        assert!(
            matches!(
                e,
                ReadError::TooLarge {
                    size: 101,
                    max: 100
                }
            ),
            "{e}"
        );
        std::fs::write(&p, b"\xff\xfe").expect("write");
        assert!(matches!(read_text(&p, 100), Err(ReadError::NotUtf8)));
    }
}
