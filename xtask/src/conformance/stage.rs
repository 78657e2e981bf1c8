//! A case's own computer root: a fresh directory holding a copy of its
//! script and of its `files`, so the case sees exactly those beside it
//! (whatever runner it runs on) and what it writes stays out of the
//! source tree. Removed when the case ends.
//!
//! The directory has the name of the case file's own (`env`), inside a
//! fresh temporary one, so paths that climb out of the root and back in
//! (`../env/x`) and relative symlinks land where they would in place.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Numbers the directories of one run.
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// The directory of one case, removed on drop.
#[derive(Debug)]
pub(crate) struct Stage {
    /// The temporary directory around the root.
    dir: PathBuf,
    /// The script's copy in the root (under the script's own name).
    script: PathBuf,
}

impl Stage {
    /// Makes the directory, copies `script` into it under its name and
    /// each of `files` (relative to the script's directory; directories
    /// copied whole, symlinks as symlinks) under its last component.
    pub(crate) fn new(script: &Path, files: &[String]) -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!(
            "craftos-http-case-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let beside = script.parent().unwrap_or(Path::new("."));
        let beside_name = beside
            .canonicalize()
            .ok()
            .and_then(|path| path.file_name().map(ToOwned::to_owned))
            .unwrap_or_else(|| "root".into());
        let root = dir.join(beside_name);
        let _ = std::fs::remove_dir_all(&dir);
        // From here the directory goes with `stage` on every way out.
        let stage = Self {
            script: root.join(
                script
                    .file_name()
                    .ok_or_else(|| format!("{} has no file name", script.display()))?,
            ),
            dir,
        };
        std::fs::create_dir_all(&root)
            .map_err(|err| format!("cannot create the case directory {}: {err}", root.display()))?;
        copy(script, &stage.script)?;
        for file in files {
            let name = Path::new(file)
                .file_name()
                .ok_or_else(|| format!("`files`: {file:?} has no name"))?;
            copy(&beside.join(file), &root.join(name)).map_err(|err| format!("`files`: {err}"))?;
        }
        Ok(stage)
    }

    /// The case's root: the directory holding the script's copy.
    pub(crate) fn root(&self) -> &Path {
        self.script.parent().unwrap_or(&self.dir)
    }

    /// The script's copy, the one to run.
    pub(crate) fn script(&self) -> &Path {
        &self.script
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        // remove_dir_all does not follow symlinks: only the copy goes.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Copies `from` to `to`: a file, a directory with everything in it, or a
/// symlink as a symlink (not what it points to).
fn copy(from: &Path, to: &Path) -> Result<(), String> {
    let fail =
        |err: std::io::Error| format!("cannot copy {} to {}: {err}", from.display(), to.display());
    let meta = std::fs::symlink_metadata(from).map_err(fail)?;
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(from).map_err(fail)?;
        return symlink(&target, to).map_err(fail);
    }
    if meta.is_dir() {
        std::fs::create_dir(to).map_err(fail)?;
        let mut entries: Vec<_> = std::fs::read_dir(from)
            .map_err(fail)?
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            copy(&entry.path(), &to.join(entry.file_name()))?;
        }
        return Ok(());
    }
    std::fs::copy(from, to).map(|_| ()).map_err(fail)
}

/// Makes `link` a symlink to `target`.
#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

/// Symlinks need a Unix system here.
#[cfg(not(unix))]
fn symlink(target: &Path, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other(format!(
        "cannot copy the symlink to {}: symlinks are copied on Unix only",
        target.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_the_script_and_files_and_removes_them() {
        let src = std::env::temp_dir().join(format!("xtask-stage-src-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&src);
        std::fs::create_dir_all(src.join("cases/fixtures/sub")).unwrap();
        std::fs::create_dir_all(src.join("examples")).unwrap();
        std::fs::write(src.join("cases/case.lua"), "print('ok')").unwrap();
        std::fs::write(src.join("cases/helper.lib"), "return 1").unwrap();
        std::fs::write(src.join("cases/fixtures/sub/inner.txt"), "inner").unwrap();
        std::fs::write(src.join("cases/beside.txt"), "not copied").unwrap();
        std::fs::write(src.join("examples/chat.lua"), "chat").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("../..", src.join("cases/fixtures/climb")).unwrap();

        let files = [
            "helper.lib".to_owned(),
            "fixtures".to_owned(),
            "../examples/chat.lua".to_owned(),
        ];
        let stage = Stage::new(&src.join("cases/case.lua"), &files).unwrap();
        let dir = stage.script().parent().unwrap().to_path_buf();
        assert_eq!(stage.script().file_name().unwrap(), "case.lua");
        // The root has the name of the case's directory.
        assert_eq!(dir.file_name().unwrap(), "cases");
        let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap();
        assert_eq!(read("case.lua"), "print('ok')");
        assert_eq!(read("helper.lib"), "return 1");
        assert_eq!(read("fixtures/sub/inner.txt"), "inner");
        assert_eq!(read("chat.lua"), "chat");
        assert!(!dir.join("beside.txt").exists());
        #[cfg(unix)]
        {
            assert_eq!(
                std::fs::read_link(dir.join("fixtures/climb")).unwrap(),
                Path::new("../..")
            );
            // It climbs out of the root and back in, as in place.
            assert_eq!(read("fixtures/climb/cases/helper.lib"), "return 1");
        }
        let around = dir.parent().unwrap().to_path_buf();
        drop(stage);
        assert!(!around.exists());
        // The originals are untouched by the removal.
        assert!(src.join("cases/fixtures/sub/inner.txt").exists());

        let err = Stage::new(&src.join("cases/case.lua"), &["missing.txt".to_owned()]).unwrap_err();
        assert!(err.contains("missing.txt"), "{err}");
        std::fs::remove_dir_all(&src).unwrap();
    }
}
