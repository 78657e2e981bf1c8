//! The root `fs` is confined to, and how segments find real files in it
//! without ever leaving it (SEMANTICS X8, **\[security\]**).
//!
//! Segments from [`super::path::components`] never contain `/`, `.` or `..`,
//! so joining them to the root stays lexically inside it; what can lead out
//! is a symlink. Every operation therefore resolves the real path first:
//!
//! - reading through a path ([`Root::resolve`]) canonicalises it and accepts
//!   it only if the result is under the canonical root; a symlink leading
//!   outside (or nowhere) is a file that does not exist;
//! - operating on an entry itself (`delete`, the source of `move`:
//!   [`Root::entry`]) resolves its parent the same way and does not follow
//!   the entry if it is a symlink, so a link is removed or moved, never its
//!   target; a link leading outside does not exist;
//! - creating ([`Root::plan`], [`Root::make_dirs`]) walks segment by
//!   segment, follows only symlinks that stay inside, and creates with
//!   `mkdir` and `O_EXCL`, which never follow a link;
//! - after a file is opened, [`Root::holds`] checks on Linux where the open
//!   descriptor really is (`/proc/self/fd`), so a directory swapped for a
//!   symlink between the check and the open is caught; existing files opened
//!   for writing are truncated only after that check.

use std::ffi::OsStr;
use std::fs::{self, File};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Longest host path we try; longer ones do not exist (and nothing is
/// created for them).
const PATH_MAX: usize = 4095;

/// The directory `fs` is rooted at, canonical.
#[derive(Debug)]
pub(crate) struct Root {
    base: PathBuf,
}

/// Where a path would be created: the deepest existing directory (real,
/// inside the root) and the segments still missing below it.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The deepest existing directory on the way.
    pub(crate) existing: PathBuf,
    /// The segments below it that do not exist yet.
    pub(crate) missing: Vec<Vec<u8>>,
}

impl Plan {
    /// The path the plan leads to.
    pub(crate) fn target(&self) -> PathBuf {
        let mut p = self.existing.clone();
        for s in &self.missing {
            p.push(OsStr::from_bytes(s));
        }
        p
    }
}

impl Root {
    /// Root at `dir` (canonicalised; a directory that does not exist yet is
    /// used as an absolute path, and then nothing exists in it).
    pub(crate) fn new(dir: &Path) -> Root {
        let base = fs::canonicalize(dir)
            .or_else(|_| std::path::absolute(dir))
            .unwrap_or_else(|_| dir.to_path_buf());
        Root { base }
    }

    /// The canonical root directory.
    pub(crate) fn base(&self) -> &Path {
        &self.base
    }

    /// Whether the real path `p` is the root or under it.
    pub(crate) fn contains(&self, p: &Path) -> bool {
        p.starts_with(&self.base)
    }

    /// Whether the host would refuse the path as too long (a segment over
    /// 255 bytes, or the whole over `PATH_MAX`): checked first so that
    /// nothing is created on the way to it.
    fn too_long(&self, segments: &[Vec<u8>]) -> bool {
        let len = self.base.as_os_str().len() + segments.iter().map(|s| s.len() + 1).sum::<usize>();
        len > PATH_MAX || segments.iter().any(|s| s.len() > super::path::NAME_MAX)
    }

    /// The symlink `link`, followed if it leads to something inside.
    pub(crate) fn resolve_link(&self, link: &Path) -> Option<PathBuf> {
        fs::canonicalize(link).ok().filter(|t| self.contains(t))
    }

    /// The real path of the existing file or directory `segments` name,
    /// following symlinks that stay inside; `None` if it does not exist or
    /// if a symlink on the way leads outside (or nowhere), even if a later
    /// segment would come back in.
    pub(crate) fn resolve(&self, segments: &[Vec<u8>]) -> Option<PathBuf> {
        if self.too_long(segments) {
            return None;
        }
        let mut cur = self.base.clone();
        for s in segments {
            let next = cur.join(OsStr::from_bytes(s));
            let meta = fs::symlink_metadata(&next).ok()?;
            cur = if meta.file_type().is_symlink() {
                self.resolve_link(&next)?
            } else {
                next
            };
        }
        Some(cur)
    }

    /// The real path of the existing entry `segments` name, *not* following
    /// it if it is a symlink (its parents are followed). A symlink that
    /// leads outside or nowhere does not exist. The root is `base`.
    pub(crate) fn entry(&self, segments: &[Vec<u8>]) -> Option<PathBuf> {
        let Some((last, parents)) = segments.split_last() else {
            return Some(self.base.clone());
        };
        let parent = self.resolve(parents)?;
        let p = parent.join(OsStr::from_bytes(last));
        let meta = fs::symlink_metadata(&p).ok()?;
        if meta.file_type().is_symlink() {
            self.resolve_link(&p)?;
        }
        Some(p)
    }

    /// Walk `segments` from the root as far as they exist. Fails if one of
    /// them is not a directory, is a symlink that does not lead to a
    /// directory inside, or cannot be looked at.
    pub(crate) fn plan(&self, segments: &[Vec<u8>]) -> Option<Plan> {
        if self.too_long(segments) {
            return None;
        }
        let mut cur = self.base.clone();
        for (i, s) in segments.iter().enumerate() {
            let next = cur.join(OsStr::from_bytes(s));
            match self.step(&next) {
                Ok(Some(dir)) => cur = dir,
                Ok(None) => {
                    return Some(Plan {
                        existing: cur,
                        missing: segments[i..].to_vec(),
                    });
                }
                Err(()) => return None,
            }
        }
        Some(Plan {
            existing: cur,
            missing: Vec::new(),
        })
    }

    /// One step of a walk: the directory `next` really is, `None` if it
    /// does not exist, `Err` if it is no directory inside the root.
    fn step(&self, next: &Path) -> Result<Option<PathBuf>, ()> {
        match fs::symlink_metadata(next) {
            Ok(m) if m.is_dir() => Ok(Some(next.to_path_buf())),
            Ok(m) if m.file_type().is_symlink() => match self.resolve_link(next) {
                Some(t) if t.is_dir() => Ok(Some(t)),
                _ => Err(()),
            },
            Ok(_) => Err(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(_) => Err(()),
        }
    }

    /// Create the missing directories of `plan`; the real path of the last.
    pub(crate) fn make_dirs(&self, plan: &Plan) -> io::Result<PathBuf> {
        let mut cur = plan.existing.clone();
        for s in &plan.missing {
            let next = cur.join(OsStr::from_bytes(s));
            match fs::create_dir(&next) {
                Ok(()) => cur = next,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match self.step(&next) {
                    Ok(Some(dir)) => cur = dir,
                    _ => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
        Ok(cur)
    }

    /// The real path of the deepest existing directory or file on the way
    /// to `segments` (the root at worst).
    pub(crate) fn nearest(&self, segments: &[Vec<u8>]) -> PathBuf {
        (0..=segments.len())
            .rev()
            .find_map(|n| self.resolve(&segments[..n]))
            .unwrap_or_else(|| self.base.clone())
    }

    /// Whether the open `file` really is inside the root. Where the system
    /// cannot tell (no `/proc`), the checks made before opening stand.
    pub(crate) fn holds(&self, file: &File) -> bool {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            if let Ok(real) = fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
                return self.contains(&real);
            }
        }
        let _ = file;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "craftos-fs-{tag}-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
        ));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn seg(p: &str) -> Vec<Vec<u8>> {
        super::super::path::components(p.as_bytes()).unwrap()
    }

    #[test]
    fn symlinks_leading_out_do_not_exist() {
        let top = temp_dir("sandbox");
        let root_dir = top.join("root");
        fs::create_dir_all(root_dir.join("sub")).unwrap();
        fs::write(top.join("secret"), "x").unwrap();
        fs::write(root_dir.join("sub/in.txt"), "y").unwrap();
        std::os::unix::fs::symlink(&top, root_dir.join("out")).unwrap();
        std::os::unix::fs::symlink("../secret", root_dir.join("rel")).unwrap();
        std::os::unix::fs::symlink("sub/in.txt", root_dir.join("ok")).unwrap();
        std::os::unix::fs::symlink("nowhere", root_dir.join("dangling")).unwrap();
        let root = Root::new(&root_dir);

        assert!(root.resolve(&seg("out")).is_none());
        assert!(root.resolve(&seg("out/secret")).is_none());
        assert!(root.resolve(&seg("out/root/sub/in.txt")).is_none());
        assert!(root.resolve(&seg("rel")).is_none());
        assert!(root.resolve(&seg("dangling")).is_none());
        assert_eq!(
            root.resolve(&seg("ok")),
            Some(root.base().join("sub/in.txt"))
        );
        assert!(root.entry(&seg("out")).is_none());
        assert_eq!(root.entry(&seg("ok")), Some(root.base().join("ok")));
        assert!(root.plan(&seg("out/new")).is_none());
        assert!(root.plan(&seg("sub/in.txt/new")).is_none());
        let plan = root.plan(&seg("sub/a/b")).unwrap();
        assert_eq!(plan.existing, root.base().join("sub"));
        assert_eq!(plan.missing, vec![b"a".to_vec(), b"b".to_vec()]);
        assert_eq!(root.nearest(&seg("sub/a/b")), root.base().join("sub"));
        let long = vec![b"a".to_vec(); 3000];
        assert!(root.plan(&long).is_none());
        fs::remove_dir_all(&top).unwrap();
    }
}
