//! Safe file writing: every output goes to a temporary file in the same
//! folder and is renamed into place, so a crash or Ctrl-C never leaves a
//! half-written file; and podsim only writes into folders it owns.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use crate::results::MARKER;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path}: refusing to write into a folder that is not a podsim output folder (it has files and no {MARKER} marker); choose another --out or pass --force")]
    NotOurs { path: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Creates (or reuses) an output folder, refusing foreign non-empty folders unless `force`.
pub fn prepare_dir(dir: &Path, force: bool) -> Result<(), OutputError> {
    if dir.exists() {
        let ours = dir.join(MARKER).exists();
        let empty = fs::read_dir(dir).map_err(io(dir))?.next().is_none();
        if !ours && !empty && !force {
            return Err(OutputError::NotOurs {
                path: dir.display().to_string(),
            });
        }
    } else {
        fs::create_dir_all(dir).map_err(io(dir))?;
    }
    write_atomic(
        &dir.join(MARKER),
        b"This folder was written by podsim; podsim may overwrite files in it.\n",
    )
}

/// Writes `bytes` to `path` atomically (temporary file + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Streams content into `path` atomically: `fill` writes into a buffered
/// temporary file, which replaces `path` only once complete.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    let tmp = temp_path(path);
    let result = (|| {
        let mut w = std::io::BufWriter::new(fs::File::create(&tmp)?);
        fill(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io(path))
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_foreign_folders_unless_forced() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("thesis.docx"), b"precious").unwrap();
        assert!(matches!(prepare_dir(d.path(), false), Err(OutputError::NotOurs { .. })));
        prepare_dir(d.path(), true).unwrap();
        assert!(d.path().join(MARKER).exists());
        // Once marked, it is ours.
        prepare_dir(d.path(), false).unwrap();
    }

    #[test]
    fn atomic_write_leaves_no_temporary_files() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.csv");
        write_atomic(&p, b"x,y\n").unwrap();
        write_atomic(&p, b"x,y\n1,2\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "x,y\n1,2\n");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
    }
}
