//! The root `fs` is confined to, and how segments find real files in it
//! without ever leaving it (SEMANTICS X8, **\[security\]**), even while the
//! tree changes under it.
//!
//! The root directory is opened once ([`Root::new`], the only call that
//! uses a path of the host); everything else is done relative to directory
//! descriptors, one segment at a time (`openat`, `fstatat`, `readlinkat`,
//! `mkdirat`, `unlinkat`, `renameat` with a single name, never a path). The
//! kernel is never asked to follow a symlink: every directory is opened
//! with `O_NOFOLLOW`, every file is opened or created with `O_NOFOLLOW` (and
//! `O_EXCL` when created), and symlinks are read and followed here, in the
//! tree as it is seen from the root's descriptor. So a directory swapped
//! for a symlink to the outside between two calls makes the next call fail
//! (`ELOOP`, `ENOTDIR`) instead of leading out: nothing outside the root is
//! read, written, created, truncated, renamed or deleted, however the tree
//! changes during an operation.
//!
//! How a symlink inside the root is followed ([`Root::resolve`]):
//!
//! - a relative target is walked from the link's directory; a `..` goes to
//!   the parent as this walk knows it (the directory is reopened from the
//!   root, segment by segment), and a `..` at the root leads outside;
//! - an absolute target is inside if it starts with the root's canonical
//!   path or with its path as given (it is then walked from the root),
//!   else it leads outside;
//! - a link that leads outside, or nowhere (dangling, or more than 40 links
//!   on the way), is a file that does not exist, even where a later
//!   segment would lead back inside (`climb/../root/x` is no way in).
//!
//! Segments from [`super::path::components`] never contain `/`, `.` or
//! `..`. Every [`Dir`] carries its canonical path from the root (the names
//! of the real directories on the way, no link among them), which the
//! loop rules of `fs.copy`/`fs.find` and the "inside itself" checks of
//! `fs.copy`/`fs.move` compare.

use std::collections::VecDeque;
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

/// Longest host path we try; longer ones do not exist (and nothing is
/// created for them).
const PATH_MAX: usize = 4095;

/// Symlinks followed in one lookup at most (Linux's `MAXSYMLINKS`).
const MAX_LINKS: usize = 40;

/// The permissions new files and directories are asked for (the umask
/// applies), as `std::fs` asks.
const FILE_MODE: u32 = 0o666;
const DIR_MODE: u32 = 0o777;

/// A directory inside the root: a descriptor of it and its canonical path.
#[derive(Clone, Debug)]
pub(crate) struct Dir {
    fd: Rc<OwnedFd>,
    path: Vec<Vec<u8>>,
}

impl Dir {
    /// Its descriptor.
    pub(crate) fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// Its canonical segments from the root (`[]` for the root).
    pub(crate) fn path(&self) -> &[Vec<u8>] {
        &self.path
    }

    /// Its identity.
    pub(crate) fn id(&self) -> io::Result<(u64, u64)> {
        Ok(Meta::from(rustix::fs::fstat(self.fd())?).id())
    }

    /// Create the file `name` in it (`O_EXCL`: never through a link), for
    /// writing and, with `read`, reading.
    pub(crate) fn create_file(&self, name: &[u8], read: bool) -> io::Result<File> {
        let access = if read { OFlags::RDWR } else { OFlags::WRONLY };
        let fd = rustix::fs::openat(
            self.fd(),
            name,
            access | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::from_raw_mode(FILE_MODE as _),
        )?;
        Ok(File::from(fd))
    }

    /// `mkdir` `name` in it.
    pub(crate) fn make_dir(&self, name: &[u8]) -> io::Result<()> {
        Ok(rustix::fs::mkdirat(
            self.fd(),
            name,
            Mode::from_raw_mode(DIR_MODE as _),
        )?)
    }

    /// Its entries (not `.` and `..`), unsorted, with the type the
    /// directory tells (`Unknown` where it does not).
    pub(crate) fn read(&self) -> io::Result<Vec<(Vec<u8>, FileType)>> {
        read_entries(self.fd())
    }

    /// The metadata of its entry `name`, not following it.
    pub(crate) fn stat(&self, name: &[u8]) -> io::Result<Meta> {
        Ok(Meta::from(rustix::fs::statat(
            self.fd(),
            name,
            AtFlags::SYMLINK_NOFOLLOW,
        )?))
    }

    /// Open its subdirectory `name` (not through a link).
    pub(crate) fn open_dir(&self, name: &[u8]) -> io::Result<Dir> {
        let fd = open_dir_at(self.fd(), name)?;
        let mut path = self.path.clone();
        path.push(name.to_vec());
        Ok(Dir {
            fd: Rc::new(fd),
            path,
        })
    }
}

/// The entries of the directory `dir` (opened anew for reading: `dir` may
/// be an `O_PATH` descriptor).
fn read_entries(dir: BorrowedFd<'_>) -> io::Result<Vec<(Vec<u8>, FileType)>> {
    let fd = rustix::fs::openat(
        dir,
        c".",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let mut out = Vec::new();
    for entry in rustix::fs::Dir::new(fd)? {
        let entry = entry?;
        let name = entry.file_name().to_bytes();
        if name != b"." && name != b".." {
            out.push((name.to_vec(), entry.file_type()));
        }
    }
    Ok(out)
}

/// `openat(dir, name, O_DIRECTORY | O_NOFOLLOW)`: a directory, never a link.
fn open_dir_at(dir: BorrowedFd<'_>, name: &[u8]) -> rustix::io::Result<OwnedFd> {
    let flags = OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    match rustix::fs::openat(dir, name, flags | OFlags::RDONLY, Mode::empty()) {
        // A directory that may be searched but not read.
        #[cfg(any(target_os = "linux", target_os = "android"))]
        Err(Errno::ACCESS) => rustix::fs::openat(dir, name, flags | OFlags::PATH, Mode::empty()),
        other => other,
    }
}

/// What `fs` needs to know of a file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Meta {
    /// Its type.
    pub(crate) kind: FileType,
    /// Its size in bytes.
    pub(crate) len: u64,
    dev: u64,
    ino: u64,
    /// Last modified, in ms since the epoch.
    pub(crate) modified_ms: i64,
    /// Last status change (CraftOS-PC's "created"), in ms since the epoch.
    pub(crate) created_ms: i64,
}

impl From<rustix::fs::Stat> for Meta {
    #[allow(clippy::unnecessary_cast)] // the field types differ between targets
    fn from(st: rustix::fs::Stat) -> Meta {
        let ms = |s: i64, ns: i64| s.saturating_mul(1000).saturating_add(ns / 1_000_000);
        Meta {
            kind: FileType::from_raw_mode(st.st_mode as _),
            len: st.st_size as u64,
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
            modified_ms: ms(st.st_mtime as i64, st.st_mtime_nsec as i64),
            created_ms: ms(st.st_ctime as i64, st.st_ctime_nsec as i64),
        }
    }
}

impl Meta {
    /// A directory.
    pub(crate) fn is_dir(&self) -> bool {
        self.kind == FileType::Directory
    }

    /// A regular file.
    pub(crate) fn is_file(&self) -> bool {
        self.kind == FileType::RegularFile
    }

    /// A symlink.
    pub(crate) fn is_symlink(&self) -> bool {
        self.kind == FileType::Symlink
    }

    /// Device and inode: which file it is.
    pub(crate) fn id(&self) -> (u64, u64) {
        (self.dev, self.ino)
    }
}

/// An existing file or directory: the directory holding it, its name
/// there (`.` for the root itself) and its metadata.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    /// The directory holding it (the root for the root).
    pub(crate) dir: Dir,
    /// Its name in `dir`.
    pub(crate) name: Vec<u8>,
    /// Its metadata (of the entry itself: a symlink only from
    /// [`Root::entry`]).
    pub(crate) meta: Meta,
}

impl Found {
    /// Whether it is the root.
    pub(crate) fn is_root(&self) -> bool {
        self.name == b"."
    }

    /// Its canonical segments from the root.
    pub(crate) fn path(&self) -> Vec<Vec<u8>> {
        let mut p = self.dir.path.clone();
        if !self.is_root() {
            p.push(self.name.clone());
        }
        p
    }

    /// Open it (`O_NOFOLLOW`: if it has been swapped for a link since it
    /// was found, this fails) with `flags` (`RDONLY`, `WRONLY`, `RDWR`,
    /// `TRUNC`).
    pub(crate) fn open(&self, flags: OFlags) -> io::Result<File> {
        let fd = rustix::fs::openat(
            self.dir.fd(),
            &self.name[..],
            flags | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NOCTTY,
            Mode::empty(),
        )?;
        Ok(File::from(fd))
    }

    /// Open it as a directory.
    pub(crate) fn open_dir(&self) -> io::Result<Dir> {
        if self.is_root() {
            return Ok(self.dir.clone());
        }
        self.dir.open_dir(&self.name)
    }

    /// `access(W_OK)` fails: the process may not write it.
    pub(crate) fn read_only(&self) -> bool {
        let access = |flags| {
            rustix::fs::accessat(
                self.dir.fd(),
                &self.name[..],
                rustix::fs::Access::WRITE_OK,
                flags,
            )
        };
        match access(AtFlags::SYMLINK_NOFOLLOW) {
            Ok(()) => false,
            // No `faccessat2`: the entry is no link when it was found.
            Err(Errno::NOSYS | Errno::INVAL | Errno::NOTSUP) => access(AtFlags::empty()).is_err(),
            Err(_) => true,
        }
    }

    /// `(free, capacity)` in bytes of the file system holding it.
    pub(crate) fn space(&self) -> io::Result<(u64, u64)> {
        let st = if self.meta.is_dir() {
            rustix::fs::fstatvfs(self.open_dir()?.fd())?
        } else {
            rustix::fs::fstatvfs(self.dir.fd())?
        };
        Ok((
            st.f_bfree.saturating_mul(st.f_frsize),
            st.f_blocks.saturating_mul(st.f_frsize),
        ))
    }

    /// Delete it: a file or a link is unlinked, a directory removed with
    /// everything in it (links inside are removed, never followed).
    pub(crate) fn remove(&self) -> io::Result<()> {
        if self.meta.is_dir() {
            remove_tree_at(self.dir.fd(), &self.name)
        } else {
            unlink(self.dir.fd(), &self.name)
        }
    }
}

/// Unlink the non-directory `name` of `dir`; a directory there (it was
/// swapped in) is removed as a tree.
fn unlink(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    match rustix::fs::unlinkat(dir, name, AtFlags::empty()) {
        Err(Errno::ISDIR | Errno::PERM) if is_dir_at(dir, name) => remove_tree_at(dir, name),
        other => Ok(other?),
    }
}

fn is_dir_at(dir: BorrowedFd<'_>, name: &[u8]) -> bool {
    rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).is_ok_and(|st| Meta::from(st).is_dir())
}

/// Remove the directory `name` of `parent` and everything in it, depth
/// first with a stack on the heap (no recursion: a tree deeper than the
/// stack is fine; one descriptor per level). Nothing is followed: every
/// directory is opened with `O_NOFOLLOW` relative to its parent's
/// descriptor, links and files are unlinked.
fn remove_tree_at(parent: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    struct Level {
        fd: OwnedFd,
        name: Vec<u8>,
        entries: Vec<(Vec<u8>, FileType)>,
    }
    let open = |dir: BorrowedFd<'_>, name: &[u8]| -> io::Result<Option<Level>> {
        let fd = match open_dir_at(dir, name) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Ok(None),
            // No directory any more (swapped for a link or a file): unlink
            // that instead.
            Err(Errno::LOOP | Errno::NOTDIR) => {
                ignore_missing(rustix::fs::unlinkat(dir, name, AtFlags::empty()))?;
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        };
        let list = read_entries(fd.as_fd())?;
        Ok(Some(Level {
            fd,
            name: name.to_vec(),
            entries: list,
        }))
    };
    let mut stack: Vec<Level> = Vec::new();
    if let Some(top) = open(parent, name)? {
        stack.push(top);
    }
    while let Some(level) = stack.last_mut() {
        match level.entries.pop() {
            Some((child, kind)) => {
                let dir = match kind {
                    FileType::Directory => true,
                    FileType::Unknown => is_dir_at(level.fd.as_fd(), &child),
                    _ => false,
                };
                if dir {
                    if let Some(next) = open(level.fd.as_fd(), &child)? {
                        stack.push(next);
                    }
                } else {
                    match rustix::fs::unlinkat(level.fd.as_fd(), &child[..], AtFlags::empty()) {
                        // It became a directory: come back to it as one.
                        Err(Errno::ISDIR | Errno::PERM) if is_dir_at(level.fd.as_fd(), &child) => {
                            level.entries.push((child, FileType::Directory));
                        }
                        other => ignore_missing(other)?,
                    }
                }
            }
            None => {
                let Some(done) = stack.pop() else { break };
                drop(done.fd);
                let holder = stack.last().map_or(parent, |l| l.fd.as_fd());
                ignore_missing(rustix::fs::unlinkat(
                    holder,
                    &done.name[..],
                    AtFlags::REMOVEDIR,
                ))?;
            }
        }
    }
    Ok(())
}

fn ignore_missing(r: rustix::io::Result<()>) -> io::Result<()> {
    match r {
        Err(Errno::NOENT) => Ok(()),
        other => Ok(other?),
    }
}

/// Where a walk ended.
#[derive(Debug)]
pub(crate) enum Walk {
    /// It exists.
    Found(Found),
    /// `missing[0]` does not exist in `dir`; the rest would be below it.
    /// Only for segments that were given (a link's target that does not
    /// exist is [`Walk::Invalid`]: nothing is created for a dangling link).
    Missing {
        /// The deepest existing directory on the way.
        dir: Dir,
        /// The segments from there that do not exist yet.
        missing: Vec<Vec<u8>>,
    },
    /// It leads outside the root, through something that is no directory,
    /// or through a link that leads nowhere; or the tree changed under the
    /// walk.
    Invalid,
}

/// [`Walk::Missing`] at `seg` of `dir`, with what is left of the walk.
fn missing(dir: Dir, seg: Vec<u8>, queue: VecDeque<(Vec<u8>, bool)>) -> Walk {
    let mut missing = vec![seg];
    missing.extend(queue.into_iter().map(|(s, _)| s));
    Walk::Missing { dir, missing }
}

/// The directory `fs` is rooted at.
#[derive(Debug)]
pub(crate) struct Root {
    /// Its canonical path (to tell absolute links that lead inside).
    base: PathBuf,
    /// Its path as given, made absolute, where that differs (an absolute
    /// link may name the root through a symlinked parent).
    given: Option<PathBuf>,
    /// Its descriptor; `None` if it could not be opened (then nothing
    /// exists in it).
    dir: Option<Dir>,
}

impl Root {
    /// Root at `dir`: canonicalised and opened, once. A directory that does
    /// not exist (yet) is a root in which nothing exists.
    pub(crate) fn new(dir: &Path) -> Root {
        let given = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let base = std::fs::canonicalize(dir).unwrap_or_else(|_| given.clone());
        let fd = rustix::fs::openat(
            rustix::fs::CWD,
            &base,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        );
        Root {
            dir: fd.ok().map(|fd| Dir {
                fd: Rc::new(fd),
                path: Vec::new(),
            }),
            given: (given != base).then_some(given),
            base,
        }
    }

    /// The root directory, if it could be opened.
    pub(crate) fn dir(&self) -> Option<&Dir> {
        self.dir.as_ref()
    }

    /// Whether the host would refuse the path as too long (a segment over
    /// 255 bytes, or the whole over `PATH_MAX`): checked first so that
    /// nothing is created on the way to it.
    pub(crate) fn too_long(&self, segments: &[Vec<u8>]) -> bool {
        let len = self.base.as_os_str().len() + segments.iter().map(|s| s.len() + 1).sum::<usize>();
        len > PATH_MAX || segments.iter().any(|s| s.len() > super::path::NAME_MAX)
    }

    /// The existing file or directory `segments` name, following symlinks
    /// that stay inside; `None` if it does not exist or if a symlink on the
    /// way leads outside (or nowhere).
    pub(crate) fn resolve(&self, segments: &[Vec<u8>]) -> Option<Found> {
        if self.too_long(segments) {
            return None;
        }
        match self.walk(self.dir()?, segments, true) {
            Walk::Found(found) => Some(found),
            _ => None,
        }
    }

    /// The existing entry `segments` name, *not* following it if it is a
    /// symlink (its parents are followed). A symlink that leads outside or
    /// nowhere does not exist.
    pub(crate) fn entry(&self, segments: &[Vec<u8>]) -> Option<Found> {
        if self.too_long(segments) {
            return None;
        }
        let Walk::Found(found) = self.walk(self.dir()?, segments, false) else {
            return None;
        };
        if found.meta.is_symlink() {
            self.lookup(&found.dir, &found.name)?;
        }
        Some(found)
    }

    /// The entry `name` of `dir`, followed if it is a symlink that stays
    /// inside; `None` if it does not exist or leads out.
    pub(crate) fn lookup(&self, dir: &Dir, name: &[u8]) -> Option<Found> {
        match self.walk(dir, &[name.to_vec()], true) {
            Walk::Found(found) => Some(found),
            _ => None,
        }
    }

    /// Walk `segments` from the root as far as they exist, for creating
    /// what is missing. `None` if one of them is not a directory, is a
    /// symlink that does not lead to a directory inside, or cannot be
    /// looked at.
    pub(crate) fn plan(&self, segments: &[Vec<u8>]) -> Option<Plan> {
        if self.too_long(segments) {
            return None;
        }
        match self.walk(self.dir()?, segments, true) {
            Walk::Found(found) if found.meta.is_dir() => Some(Plan {
                dir: found.open_dir().ok()?,
                missing: Vec::new(),
            }),
            Walk::Missing { dir, missing } => Some(Plan { dir, missing }),
            _ => None,
        }
    }

    /// Create the missing directories of `plan`; the last.
    pub(crate) fn make_dirs(&self, plan: Plan) -> io::Result<Dir> {
        let mut cur = plan.dir;
        for s in &plan.missing {
            match cur.make_dir(s) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
            // Made, or made meanwhile: it must be a directory inside now.
            cur = match self.lookup(&cur, s) {
                Some(found) if found.meta.is_dir() => found.open_dir()?,
                _ => return Err(io::Error::from(io::ErrorKind::AlreadyExists)),
            };
        }
        Ok(cur)
    }

    /// The deepest existing directory or file on the way to `segments`
    /// (the root at worst).
    pub(crate) fn nearest(&self, segments: &[Vec<u8>]) -> Option<Found> {
        (0..=segments.len())
            .rev()
            .find_map(|n| self.resolve(&segments[..n]))
    }

    /// Walk `segments` from `start`. Symlinks are followed (the last one
    /// only with `follow_last`) as the module doc says.
    pub(crate) fn walk(&self, start: &Dir, segments: &[Vec<u8>], follow_last: bool) -> Walk {
        let mut fd = start.fd.clone();
        let mut path = start.path.clone();
        // What is left to walk, and whether it came from a link's target.
        let mut queue: VecDeque<(Vec<u8>, bool)> =
            segments.iter().map(|s| (s.clone(), false)).collect();
        let mut links = 0;
        while let Some((seg, from_link)) = queue.pop_front() {
            if seg.is_empty() || seg == b"." {
                continue;
            }
            if seg == b".." {
                if path.pop().is_none() {
                    return Walk::Invalid;
                }
                match self.reopen(&path) {
                    Some(parent) => fd = parent,
                    None => return Walk::Invalid,
                }
                continue;
            }
            let last = queue.is_empty();
            if !last {
                // The common case first: a directory on the way.
                match open_dir_at(fd.as_fd(), &seg) {
                    Ok(next) => {
                        fd = Rc::new(next);
                        path.push(seg);
                        continue;
                    }
                    Err(Errno::NOENT) if !from_link => {
                        return missing(Dir { fd, path }, seg, queue);
                    }
                    // A link to follow, or no directory: look.
                    Err(_) => {}
                }
            }
            let meta = match rustix::fs::statat(&*fd, &seg[..], AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => Meta::from(st),
                Err(Errno::NOENT) if !from_link => return missing(Dir { fd, path }, seg, queue),
                Err(_) => return Walk::Invalid,
            };
            if meta.is_symlink() && (follow_last || !last) {
                links += 1;
                if links > MAX_LINKS {
                    return Walk::Invalid;
                }
                let Ok(target) = rustix::fs::readlinkat(&*fd, &seg[..], Vec::new()) else {
                    return Walk::Invalid;
                };
                let target = target.into_bytes();
                let rest = if target.first() == Some(&b'/') {
                    let (Some(rest), Some(root)) = (self.inside(&target), self.dir()) else {
                        return Walk::Invalid;
                    };
                    fd = root.fd.clone();
                    path.clear();
                    rest
                } else if target.is_empty() {
                    return Walk::Invalid;
                } else {
                    &target[..]
                };
                for part in rest.split(|&b| b == b'/').rev() {
                    queue.push_front((part.to_vec(), true));
                }
                continue;
            }
            if last {
                return Walk::Found(Found {
                    dir: Dir { fd, path },
                    name: seg,
                    meta,
                });
            }
            if !meta.is_dir() {
                return Walk::Invalid;
            }
            match open_dir_at(fd.as_fd(), &seg) {
                Ok(next) => {
                    fd = Rc::new(next);
                    path.push(seg);
                }
                Err(_) => return Walk::Invalid,
            }
        }
        // The walk ended on a directory: no segments, or a link's target
        // ending in `.` or `..`.
        self.found_dir(Dir { fd, path })
    }

    /// The directory `dir` as a [`Found`] (in its parent).
    fn found_dir(&self, dir: Dir) -> Walk {
        let Some((name, parent)) = dir.path.split_last() else {
            return match rustix::fs::fstat(dir.fd()) {
                Ok(st) => Walk::Found(Found {
                    meta: Meta::from(st),
                    dir,
                    name: b".".to_vec(),
                }),
                Err(_) => Walk::Invalid,
            };
        };
        let Some(fd) = self.reopen(parent) else {
            return Walk::Invalid;
        };
        let parent = Dir {
            fd,
            path: parent.to_vec(),
        };
        match parent.stat(name) {
            Ok(meta) if meta.is_dir() => Walk::Found(Found {
                dir: parent,
                name: name.clone(),
                meta,
            }),
            _ => Walk::Invalid,
        }
    }

    /// The directory at the canonical `path`, opened from the root again.
    fn reopen(&self, path: &[Vec<u8>]) -> Option<Rc<OwnedFd>> {
        let mut fd = self.dir()?.fd.clone();
        for seg in path {
            fd = Rc::new(open_dir_at(fd.as_fd(), seg).ok()?);
        }
        Some(fd)
    }

    /// The absolute link target `target` relative to the root, if it is
    /// inside (lexically: it starts with the root's canonical path, or its
    /// path as given).
    fn inside<'a>(&self, target: &'a [u8]) -> Option<&'a [u8]> {
        let within = |base: &Path| {
            let base = base.as_os_str().as_bytes();
            let rest = target.strip_prefix(base.strip_suffix(b"/").unwrap_or(base))?;
            match rest.first() {
                None => Some(rest),
                Some(b'/') => Some(&rest[1..]),
                Some(_) => None,
            }
        };
        within(&self.base).or_else(|| self.given.as_deref().and_then(within))
    }
}

/// Where a path would be created: the deepest existing directory (inside
/// the root) and the segments still missing below it.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The deepest existing directory on the way.
    pub(crate) dir: Dir,
    /// The segments below it that do not exist yet.
    pub(crate) missing: Vec<Vec<u8>>,
}

impl Plan {
    /// The canonical segments the plan leads to.
    pub(crate) fn target(&self) -> Vec<Vec<u8>> {
        let mut p = self.dir.path.clone();
        p.extend(self.missing.iter().cloned());
        p
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
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn seg(p: &str) -> Vec<Vec<u8>> {
        super::super::path::components(p.as_bytes()).unwrap()
    }

    fn path_of(f: Option<Found>) -> Option<String> {
        f.map(|f| String::from_utf8(f.path().join(&b'/')).unwrap())
    }

    #[test]
    fn symlinks_leading_out_do_not_exist() {
        let top = temp_dir("sandbox");
        let root_dir = top.join("root");
        std::fs::create_dir_all(root_dir.join("sub")).unwrap();
        std::fs::write(top.join("secret"), "x").unwrap();
        std::fs::write(root_dir.join("sub/in.txt"), "y").unwrap();
        let symlink = |t: &Path, l: &str| std::os::unix::fs::symlink(t, root_dir.join(l)).unwrap();
        symlink(&top, "out");
        symlink(Path::new("../secret"), "rel");
        symlink(Path::new("sub/in.txt"), "ok");
        symlink(Path::new("nowhere"), "dangling");
        symlink(Path::new("sub/../sub/./in.txt"), "winding");
        let canonical = std::fs::canonicalize(&root_dir).unwrap();
        symlink(&canonical.join("sub"), "absolute-in");
        symlink(&canonical.join("../secret"), "absolute-climb");
        symlink(Path::new("loop2"), "loop1");
        symlink(Path::new("loop1"), "loop2");
        symlink(Path::new("."), "self");
        let root = Root::new(&root_dir);

        for p in [
            "out",
            "out/secret",
            "out/root/sub/in.txt",
            "rel",
            "dangling",
            "absolute-climb",
            "loop1",
            "loop1/x",
        ] {
            assert!(root.resolve(&seg(p)).is_none(), "{p}");
        }
        assert_eq!(path_of(root.resolve(&seg("ok"))), Some("sub/in.txt".into()));
        assert_eq!(
            path_of(root.resolve(&seg("winding"))),
            Some("sub/in.txt".into())
        );
        assert_eq!(
            path_of(root.resolve(&seg("absolute-in/in.txt"))),
            Some("sub/in.txt".into())
        );
        assert_eq!(
            path_of(root.resolve(&seg("self/self/sub"))),
            Some("sub".into())
        );
        assert!(root.resolve(&seg("self")).unwrap().is_root());
        assert!(root.entry(&seg("out")).is_none());
        assert_eq!(path_of(root.entry(&seg("ok"))), Some("ok".into()));
        assert!(root.entry(&seg("ok")).unwrap().meta.is_symlink());
        assert!(root.plan(&seg("out/new")).is_none());
        assert!(root.plan(&seg("dangling/new")).is_none());
        assert!(root.plan(&seg("sub/in.txt/new")).is_none());
        let plan = root.plan(&seg("sub/a/b")).unwrap();
        assert_eq!(plan.dir.path(), &seg("sub")[..]);
        assert_eq!(plan.missing, seg("a/b"));
        assert_eq!(plan.target(), seg("sub/a/b"));
        let made = root.make_dirs(plan).unwrap();
        assert_eq!(made.path(), &seg("sub/a/b")[..]);
        assert!(root_dir.join("sub/a/b").is_dir());
        assert_eq!(path_of(root.nearest(&seg("sub/x/y"))), Some("sub".into()));
        assert_eq!(path_of(root.nearest(&seg("out/x"))), Some("".into()));
        let long = vec![b"a".to_vec(); 3000];
        assert!(root.plan(&long).is_none());
        std::fs::remove_dir_all(&top).unwrap();
    }

    #[test]
    fn absolute_links_inside_through_the_path_as_given() {
        let top = temp_dir("given");
        std::fs::create_dir_all(top.join("real/root/sub")).unwrap();
        std::os::unix::fs::symlink(top.join("real"), top.join("alias")).unwrap();
        let given = top.join("alias/root");
        std::os::unix::fs::symlink(given.join("sub"), top.join("real/root/by-alias")).unwrap();
        std::os::unix::fs::symlink(top.join("alias"), top.join("real/root/up")).unwrap();
        let root = Root::new(&given);
        assert_eq!(path_of(root.resolve(&seg("by-alias"))), Some("sub".into()));
        assert!(root.resolve(&seg("up")).is_none());
        std::fs::remove_dir_all(&top).unwrap();
    }

    #[test]
    fn a_missing_root_holds_nothing() {
        let top = temp_dir("missing-root");
        let root = Root::new(&top.join("not-there"));
        assert!(root.resolve(&[]).is_none());
        assert!(root.plan(&seg("a")).is_none());
        std::fs::remove_dir_all(&top).unwrap();
    }

    #[test]
    fn trees_are_removed_without_following_links() {
        let top = temp_dir("remove");
        let root_dir = top.join("root");
        std::fs::create_dir_all(root_dir.join("t/a/b")).unwrap();
        std::fs::create_dir_all(top.join("outside")).unwrap();
        std::fs::write(top.join("outside/keep"), "k").unwrap();
        std::fs::write(root_dir.join("t/a/b/f"), "f").unwrap();
        std::os::unix::fs::symlink(top.join("outside"), root_dir.join("t/a/out")).unwrap();
        let root = Root::new(&root_dir);
        root.entry(&seg("t")).unwrap().remove().unwrap();
        assert!(!root_dir.join("t").exists());
        assert!(top.join("outside/keep").exists());
        std::fs::remove_dir_all(&top).unwrap();
    }
}
