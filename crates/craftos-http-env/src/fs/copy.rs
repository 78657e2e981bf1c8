//! `fs.copy` of a file or a directory tree, every step relative to
//! directory descriptors (see the `sandbox` module).
//!
//! As CraftOS-PC's `std::filesystem::copy` (recursive, no symlink option),
//! a symlink that stays inside the root is copied as what it leads to: a
//! file as a file, a directory as a directory with its contents; a link
//! that leads outside or nowhere is left out. A file copied onto an
//! existing directory goes into it, a directory onto an existing directory
//! merges with it, and an existing file is never overwritten (`File
//! exists`).
//!
//! **\[fix\]** CraftOS-PC follows directory links without looking, so a
//! link to a directory above it (`a/up -> ..`) copies the root into the
//! copy, again and again, until the disk or the path length gives out. Here
//! a directory reached during a copy is left out (nothing is made for it)
//! when it is
//!
//! - reached through a link that leads to the link's own directory or to
//!   one of its ancestors (`up -> ..`, `self -> .`, `top -> ../..`): a loop;
//! - already on the way from the source to it (links that make a loop
//!   together, `p/q -> ../r` with `r/back -> ../p`);
//! - a directory this copy writes into (the destination, or what it made
//!   below it): the copy would feed itself.
//!
//! So a copy ends, and it is never larger than the source tree with each
//! directory link expanded once per place it appears. The walk keeps its
//! own stack on the heap (one pair of descriptors per level), so a deep
//! tree cannot overflow the thread's stack.

use std::collections::HashSet;
use std::io;

use rustix::fs::OFlags;

use super::os_text;
use super::sandbox::{Dir, Found, Root, Walk};

const EXISTS: &str = "File exists";

fn text(e: io::Error) -> String {
    os_text(&e)
}

/// Copy the existing `src` to `name` in `dir`.
pub(super) fn entry(root: &Root, src: &Found, dir: &Dir, name: &[u8]) -> Result<(), String> {
    if src.meta.is_dir() {
        return tree(root, src, dir, name);
    }
    if !src.meta.is_file() {
        return Err("Operation not supported".into());
    }
    let (dir, name) = match root.walk(dir, &[name.to_vec()], true) {
        Walk::Found(found) if found.meta.is_dir() => {
            (found.open_dir().map_err(text)?, src.name.clone())
        }
        Walk::Missing { .. } => (dir.clone(), name.to_vec()),
        // A file, or a link that leads outside or nowhere.
        Walk::Found(_) | Walk::Invalid => return Err(EXISTS.into()),
    };
    file(src, &dir, &name)
}

/// Copy the regular file `src` to the new file `name` of `dir`.
fn file(src: &Found, dir: &Dir, name: &[u8]) -> Result<(), String> {
    let mut input = src.open(OFlags::RDONLY).map_err(text)?;
    let mut output = dir.create_file(name, false).map_err(text)?;
    io::copy(&mut input, &mut output).map_err(text)?;
    Ok(())
}

/// The directory `name` of `dir` to copy a directory into: an existing
/// one (merged with), else made.
fn target(root: &Root, dir: &Dir, name: &[u8]) -> Result<Dir, String> {
    match root.walk(dir, &[name.to_vec()], true) {
        Walk::Found(found) if found.meta.is_dir() => found.open_dir().map_err(text),
        Walk::Missing { .. } => {
            dir.make_dir(name).map_err(text)?;
            dir.open_dir(name).map_err(text)
        }
        Walk::Found(_) | Walk::Invalid => Err(EXISTS.into()),
    }
}

/// One directory being copied.
struct Level {
    src: Dir,
    dst: Dir,
    /// Its entries still to copy, the next last.
    names: Vec<Vec<u8>>,
    id: (u64, u64),
}

fn names(dir: &Dir) -> Result<Vec<Vec<u8>>, String> {
    let mut names: Vec<Vec<u8>> = dir
        .read()
        .map_err(text)?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    names.sort_by(|a, b| b.cmp(a));
    Ok(names)
}

/// Copy the directory `src` to `name` in `dir`, by the rules of the module
/// doc.
fn tree(root: &Root, src: &Found, dir: &Dir, name: &[u8]) -> Result<(), String> {
    let src_dir = src.open_dir().map_err(text)?;
    let dst = target(root, dir, name)?;
    let mut made: HashSet<(u64, u64)> = HashSet::new();
    made.insert(dst.id().map_err(text)?);
    let mut branch: HashSet<(u64, u64)> = HashSet::new();
    branch.insert(src.meta.id());
    let mut stack = vec![Level {
        names: names(&src_dir)?,
        src: src_dir,
        dst,
        id: src.meta.id(),
    }];
    while let Some(level) = stack.last_mut() {
        let Some(name) = level.names.pop() else {
            if let Some(done) = stack.pop() {
                branch.remove(&done.id);
            }
            continue;
        };
        let Ok(meta) = level.src.stat(&name) else {
            continue;
        };
        let through_link = meta.is_symlink();
        let found = if through_link {
            match root.lookup(&level.src, &name) {
                Some(found) => found,
                None => continue,
            }
        } else {
            Found {
                dir: level.src.clone(),
                name: name.clone(),
                meta,
            }
        };
        if found.meta.is_file() {
            file(&found, &level.dst, &name)?;
            continue;
        }
        if !found.meta.is_dir() {
            continue;
        }
        let id = found.meta.id();
        if made.contains(&id)
            || branch.contains(&id)
            || (through_link && level.src.path().starts_with(&found.path()))
        {
            continue;
        }
        let src_dir = found.open_dir().map_err(text)?;
        let dst = target(root, &level.dst, &name)?;
        made.insert(dst.id().map_err(text)?);
        branch.insert(id);
        stack.push(Level {
            names: names(&src_dir)?,
            src: src_dir,
            dst,
            id,
        });
    }
    Ok(())
}
