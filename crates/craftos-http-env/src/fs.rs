//! `fs` (SEMANTICS X8) and `loadfile`/`dofile` (X7): CraftOS-PC's file
//! system API over one directory of the host, the root.
//!
//! Values and error texts are CraftOS-PC's (`src/apis/fs.cpp`,
//! `src/apis/handles/fs_handle.cpp`, `src/util.cpp` `fixpath`; the ROM's
//! `fs.find`/`fs.isDriveRoot` and BIOS `loadfile`/`dofile`), for a computer
//! whose only drive is `hdd`:
//!
//! | call | failure |
//! |---|---|
//! | `open(p, m)` | raises `M: Unsupported mode`; returns `nil, "/p: No such file"`, `"/p: Not a file"`, `"/p: Cannot write to directory"`; raises `/p: Too many files already open` (128) |
//! | `list(p)` | `/p: No such file`, `/p: Not a directory` |
//! | `getSize(p)`, `attributes(p)` | `/p: No such file` |
//! | `makeDir(p)` | `/p: Could not create directory`, `/p: File exists`, `/p: <system error>` |
//! | `delete(p)` | `Cannot delete mount, use mounter.unmount instead` (the root); a missing path is no error |
//! | `move(a, b)` | `No such file`, `/b: Invalid path`, `Can't move a directory inside itself`, `File exists`, `/a: <system error>` |
//! | `copy(a, b)` | `/a: No such file`, `/b: Invalid path`, `/a: Can't copy a directory inside itself`, `/a: File exists` |
//! | `isReadOnly(p)` | `/p: Invalid path` (above the root) |
//! | `getFreeSpace(p)` | `/p: No such path` (above the root) |
//! | `getCapacity(p)` | `p: Invalid path` (above the root; the path as given) |
//! | `find(p)` | `/p: Invalid Path` (above the root) |
//! | handles | `attempt to use a closed file`, `Cannot read a negative number of characters` (`bytes` in binary mode), `Could not read file`, `Could not write file`; `seek` returns `nil, "Position is negative"` or `nil, <system error>` |
//! | `loadfile(p)` | `nil, "File not found"` |
//!
//! The `/p` in messages is the path as CraftOS-PC prints it
//! (`path::display`): `fs.open("../x", "r")` gives `/../x: No such file`.
//! Argument errors read `bad argument #N to 'NAME' (T expected, got U)`
//! (G3; CraftOS-PC's handle functions omit the name), every error is a
//! string with the caller's position (G2). Handles are tables of functions
//! called with a dot; a colon call works too (G1 \[ext\]).
//!
//! **No way out of the root \[security\]**: see the `sandbox` module. A
//! path that climbs above the root does not exist (`open` → `nil, "/../x:
//! No such file"`), a symlink inside the root that leads outside (or
//! nowhere) is a file that does not exist (not listed either), and nothing
//! outside the root is read, written, created or deleted. The root is
//! opened once and every operation is done relative to directory
//! descriptors, never following a link the kernel would resolve, so this
//! holds even while the tree changes (a directory swapped for a link to
//! the outside in the middle of an operation makes it fail, not escape).
//!
//! **Trees and symlinks**: the functions that walk a tree never follow a
//! directory link into a loop. `delete` removes links, never what they
//! lead to; `list` and `getSize` do not descend; `copy` copies a link that
//! stays inside as what it leads to, except a directory link that would
//! loop or feed the copy itself (see the `copy` module); `find` matches
//! links like any entry but a wildcard segment does not descend through a
//! link to the directory it is in, to one of its ancestors or to one it
//! has come through (`fs.find("*/*")` with `self -> .` lists `self` but
//! not `self/*`; a literal segment is followed as `fs.exists` would).
//!
//! Files are buffered; [`close_all`] flushes and closes every handle still
//! open (the runner calls it when the script ends), and a handle that is
//! garbage-collected (or still open when the Lua state is dropped) is
//! flushed and closed too.
//!
//! **\[fix\]** departures, all where CraftOS-PC corrupts, crashes or is
//! platform-dependent: see the `path` module (bytes 128-255 kept, ` .. `
//! trimmed before it is classified, long names cut at 255, `\` a separator
//! in `combine` too); `read(n)` with a huge `n` reads what there is instead
//! of allocating `n` bytes; `a` on a file that cannot be read appends
//! instead of truncating it; `close` and `flush` raise `Could not write
//! file` when the data cannot be written (CraftOS-PC loses it silently);
//! `loadfile` without `env` gives the chunk the global environment;
//! `open` with 128 files open raises before it touches the file system
//! (CraftOS-PC truncates or creates the file, and its parents, first);
//! `find` answers `{}` at once for a pattern of more segments than any
//! path can have (CraftOS-PC recursed once per segment); `copy` stops at
//! directory links that loop (CraftOS-PC copies the root into the copy).

mod copy;
mod handle;
mod path;
mod sandbox;

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, SeekFrom};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::rc::{Rc, Weak};

use mlua::{AnyUserData, Function, Lua, MultiValue, Table, Value};
use rustix::fs::{FileType, OFlags};

use craftos_http_lua::args::type_name;
use craftos_http_lua::native::fail_mark;
use handle::{Mode, OpenFile, ReadError};
use sandbox::{Dir, Found, Meta, Root, Walk};

const FS_LUA: &str = include_str!("fs/fs.lua");
/// `fs.complete`, in Lua as CraftOS-PC's ROM has it.
const COMPLETE_LUA: &str = include_str!("fs/complete.lua");

/// Handles open at once, as CraftOS-PC's default `maximumFilesOpen`.
const MAX_OPEN: usize = 128;

/// Names `fs.list` never shows (CraftOS-PC hides them).
const HIDDEN: [&[u8]; 2] = [b".DS_Store", b"desktop.ini"];

/// What one `install` shares between its natives.
struct State {
    root: Root,
    open: RefCell<Vec<Weak<RefCell<Option<OpenFile>>>>>,
    count: Cell<usize>,
}

/// The handle userdata the Lua glue holds.
struct Handle {
    slot: Rc<RefCell<Option<OpenFile>>>,
    state: Rc<State>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        if let Ok(mut slot) = self.slot.try_borrow_mut()
            && slot.take().is_some()
        {
            self.state
                .count
                .set(self.state.count.get().saturating_sub(1));
        }
    }
}

/// Registered in the Lua state for [`close_all`].
struct Installed(Rc<State>);

/// Set the global `fs` table rooted at `root`, and `loadfile`/`dofile`
/// reading through it.
///
/// Functions: `open`, `list`, `exists`, `isDir`, `isReadOnly`, `getName`,
/// `getDrive`, `getSize`, `getFreeSpace`, `getCapacity`, `makeDir`, `move`,
/// `copy`, `delete`, `combine`, `find`, `getDir`, `attributes`,
/// `isDriveRoot`, `complete`. The root is canonicalised and opened once,
/// here: a directory that does not exist then is a root in which nothing
/// exists.
pub fn install(lua: &Lua, root: &Path) -> mlua::Result<()> {
    let state = Rc::new(State {
        root: Root::new(root),
        open: RefCell::new(Vec::new()),
        count: Cell::new(0),
    });
    let natives = lua.create_table()?;
    let table: [(&str, Native); 28] = [
        ("open", api_open),
        ("list", api_list),
        ("exists", api_exists),
        ("isDir", api_is_dir),
        ("isReadOnly", api_is_read_only),
        ("getName", |lua, _, a| {
            string_out(lua, path::name(&string_arg(lua, a, 1, "getName")?))
        }),
        ("getDir", |lua, _, a| {
            string_out(lua, path::dir(&string_arg(lua, a, 1, "getDir")?))
        }),
        ("combine", api_combine),
        ("getDrive", api_get_drive),
        ("getSize", api_get_size),
        ("getFreeSpace", api_get_free_space),
        ("getCapacity", api_get_capacity),
        ("makeDir", api_make_dir),
        ("move", api_move),
        ("copy", api_copy),
        ("delete", api_delete),
        ("find", api_find),
        ("attributes", api_attributes),
        ("close", h_close),
        ("seek", h_seek),
        ("readChar", |lua, s, a| h_read(lua, s, a, false)),
        ("readByte", |lua, s, a| h_read(lua, s, a, true)),
        ("readLine", h_read_line),
        ("readAll", h_read_all),
        ("writeString", |lua, s, a| h_write(lua, s, a, false)),
        ("writeLine", |lua, s, a| h_write(lua, s, a, true)),
        ("writeByte", h_write_byte),
        ("flush", h_flush),
    ];
    for (name, f) in table {
        natives.raw_set(name, native(lua, state.clone(), f)?)?;
    }
    let load = crate::compat::string_load(lua)?;
    craftos_http_lua::compiled::load(lua, "=[C]", FS_LUA)?.call::<()>((
        natives,
        fail_mark(),
        load,
        lua.globals(),
    ))?;
    let fs_table: Table = lua.globals().raw_get("fs")?;
    craftos_http_lua::compiled::load(lua, "=fs", COMPLETE_LUA)?
        .call::<()>((fs_table, super::expect_helpers(lua)?))?;
    lua.set_app_data(Installed(state));
    Ok(())
}

/// Flush and close every file handle still open in `lua` (the script has
/// ended, crashed or been terminated: nothing it wrote is lost). The
/// handles read as closed afterwards. Write errors are logged.
pub fn close_all(lua: &Lua) {
    let Some(installed) = lua.app_data_ref::<Installed>() else {
        return;
    };
    let state = installed.0.clone();
    drop(installed);
    let handles = std::mem::take(&mut *state.open.borrow_mut());
    for slot in handles.iter().filter_map(Weak::upgrade) {
        let Ok(mut slot) = slot.try_borrow_mut() else {
            continue;
        };
        if let Some(mut file) = slot.take() {
            state.count.set(state.count.get().saturating_sub(1));
            if let Err(e) = file.flush() {
                tracing::warn!("fs: flushing a file at exit failed: {e}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The native protocol (see fs.lua).

/// What a native gives back on success.
enum Out {
    Nothing,
    One(Value),
    Two(Value, Value),
    Handle(AnyUserData, Mode),
}

/// A native's outcome: values, or an error message (bytes: paths need not be
/// UTF-8).
type Ret = Result<Out, Vec<u8>>;

/// A native: the Lua state, the shared state, the arguments.
type Native = fn(&Lua, &Rc<State>, &[Value]) -> Ret;

fn native(lua: &Lua, state: Rc<State>, f: Native) -> mlua::Result<Function> {
    lua.create_function(move |lua, args: MultiValue| {
        let args = args.into_vec();
        let outcome =
            catch_unwind(AssertUnwindSafe(|| f(lua, &state, &args))).unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                tracing::error!("internal error in fs: {what}");
                Err(format!("internal error: {what}").into_bytes())
            });
        Ok(match outcome {
            Ok(Out::Nothing) => MultiValue::from_vec(vec![Value::Integer(0)]),
            Ok(Out::One(a)) => MultiValue::from_vec(vec![Value::Integer(1), a]),
            Ok(Out::Two(a, b)) => MultiValue::from_vec(vec![Value::Integer(2), a, b]),
            Ok(Out::Handle(ud, mode)) => {
                let mut flags = vec![mode.kind];
                if mode.update {
                    flags.push(b'+');
                }
                if mode.binary {
                    flags.push(b'b');
                }
                MultiValue::from_vec(vec![
                    Value::Integer(3),
                    Value::UserData(ud),
                    Value::String(lua.create_string(flags)?),
                ])
            }
            Err(message) => MultiValue::from_vec(vec![
                fail_mark(),
                Value::String(lua.create_string(message)?),
            ]),
        })
    })
}

fn lua_err(e: mlua::Error) -> Vec<u8> {
    format!("internal error: {e}").into_bytes()
}

fn string_out(lua: &Lua, s: impl AsRef<[u8]>) -> Ret {
    Ok(Out::One(Value::String(
        lua.create_string(s).map_err(lua_err)?,
    )))
}

fn bool_out(b: bool) -> Ret {
    Ok(Out::One(Value::Boolean(b)))
}

fn int_out(n: u64) -> Ret {
    Ok(Out::One(Value::Integer(
        i64::try_from(n).unwrap_or(i64::MAX),
    )))
}

/// `nil, message`.
fn nil_msg(lua: &Lua, message: Vec<u8>) -> Ret {
    let s = lua.create_string(message).map_err(lua_err)?;
    Ok(Out::Two(Value::Nil, Value::String(s)))
}

// ---------------------------------------------------------------------------
// Arguments and messages.

/// `bad argument #N to 'NAME' (T expected, got U)`, `no value` for a missing
/// argument (G3).
fn bad_arg(args: &[Value], n: usize, func: &str, expected: &str) -> Vec<u8> {
    let got = args.get(n - 1).map_or("no value", type_name);
    craftos_http_lua::args::expected_got(n, func, expected, got).into_bytes()
}

/// A string argument; numbers are converted as Lua converts them.
fn string_arg(lua: &Lua, args: &[Value], n: usize, func: &str) -> Result<Vec<u8>, Vec<u8>> {
    match args.get(n - 1) {
        Some(Value::String(s)) => Ok(s.as_bytes().to_vec()),
        Some(v @ (Value::Integer(_) | Value::Number(_))) => match lua.coerce_string(v.clone()) {
            Ok(Some(s)) => Ok(s.as_bytes().to_vec()),
            _ => Err(bad_arg(args, n, func, "string")),
        },
        _ => Err(bad_arg(args, n, func, "string")),
    }
}

/// `/<path as CraftOS-PC prints it>: <text>`.
fn message(p: &[u8], text: &str) -> Vec<u8> {
    let mut m = b"/".to_vec();
    m.extend_from_slice(&path::display(p));
    m.extend_from_slice(b": ");
    m.extend_from_slice(text.as_bytes());
    m
}

/// The system's text for an I/O error (`strerror`, without Rust's
/// ` (os error N)`).
fn os_text(e: &io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(i) if e.raw_os_error().is_some() => text[..i].to_string(),
        _ => text,
    }
}

fn is_truthy(v: Option<&Value>) -> bool {
    !matches!(v, None | Some(Value::Nil) | Some(Value::Boolean(false)))
}

// ---------------------------------------------------------------------------
// Helpers over the root.

impl State {
    fn resolve(&self, p: &[u8]) -> Option<Found> {
        self.root.resolve(&path::components(p)?)
    }

    /// The visible entries of the directory `dir`, sorted bytewise: not
    /// the hidden names, not the links that lead outside or nowhere.
    fn entries(&self, dir: &Dir) -> Vec<Vec<u8>> {
        let mut names: Vec<Vec<u8>> = match dir.read() {
            Ok(entries) => entries
                .into_iter()
                .filter(|(name, _)| !HIDDEN.contains(&&name[..]))
                .filter(|(name, kind)| {
                    let link = match kind {
                        FileType::Symlink => true,
                        FileType::Unknown => dir.stat(name).is_ok_and(|m| m.is_symlink()),
                        _ => false,
                    };
                    !link || self.root.lookup(dir, name).is_some()
                })
                .map(|(name, _)| name)
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        names.dedup();
        names
    }

    fn register(&self, slot: &Rc<RefCell<Option<OpenFile>>>) {
        let mut open = self.open.borrow_mut();
        open.retain(|w| w.strong_count() > 0);
        open.push(Rc::downgrade(slot));
        self.count.set(self.count.get() + 1);
    }
}

// ---------------------------------------------------------------------------
// fs functions.

fn api_open(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let mode_arg = string_arg(lua, args, 2, "open")?;
    let mode_c = mode_arg.split(|&b| b == 0).next().unwrap_or_default();
    let Some(mode) = Mode::parse(mode_c) else {
        let mut m = mode_c.to_vec();
        m.extend_from_slice(b": Unsupported mode");
        return Err(m);
    };
    let p = string_arg(lua, args, 1, "open")?;
    // [fix] Before anything touches the file system: CraftOS-PC opens (and
    // so truncates or creates) the file first and refuses it after.
    if state.count.get() >= MAX_OPEN {
        return Err(message(&p, "Too many files already open"));
    }
    let opened = match path::components(&p) {
        None => Err("No such file"),
        Some(segments) if mode.kind == b'r' => open_existing(state, &segments, mode),
        Some(segments) => open_for_writing(state, &segments, mode),
    };
    let file = match opened {
        Ok(file) => file,
        Err(text) => return nil_msg(lua, message(&p, text)),
    };
    let slot = Rc::new(RefCell::new(Some(OpenFile::new(file))));
    state.register(&slot);
    let ud = lua
        .create_any_userdata(Handle {
            slot,
            state: state.clone(),
        })
        .map_err(lua_err)?;
    Ok(Out::Handle(ud, mode))
}

fn open_existing(state: &State, segments: &[Vec<u8>], mode: Mode) -> Result<File, &'static str> {
    let found = state.root.resolve(segments).ok_or("No such file")?;
    if found.meta.is_dir() {
        return Err("Not a file");
    }
    let access = if mode.update {
        OFlags::RDWR
    } else {
        OFlags::RDONLY
    };
    found.open(access).map_err(|_| "No such file")
}

fn open_for_writing(state: &State, segments: &[Vec<u8>], mode: Mode) -> Result<File, &'static str> {
    let Some((name, parents)) = segments.split_last() else {
        return Err("Cannot write to directory");
    };
    let plan = state.root.plan(parents).ok_or("No such file")?;
    let dir = state.root.make_dirs(plan).map_err(|_| "No such file")?;
    let read = mode.update || mode.kind == b'a';
    let file = match state.root.walk(&dir, std::slice::from_ref(name), true) {
        Walk::Found(found) if found.meta.is_dir() => return Err("Cannot write to directory"),
        Walk::Found(found) => {
            // Opened relative to its directory, never through a link, so
            // truncating at the open is safe.
            let trunc = if mode.kind == b'w' {
                OFlags::TRUNC
            } else {
                OFlags::empty()
            };
            let open = |read: bool| {
                let access = if read { OFlags::RDWR } else { OFlags::WRONLY };
                found.open(access | trunc)
            };
            match open(read) {
                Err(e) if read && !mode.update && e.kind() == io::ErrorKind::PermissionDenied => {
                    open(false)
                }
                other => other,
            }
            .map_err(|_| "No such file")?
        }
        Walk::Missing { .. } => dir.create_file(name, read).map_err(|_| "No such file")?,
        // A link that leads outside or nowhere: nothing is created for it.
        Walk::Invalid => return Err("No such file"),
    };
    if mode.kind == b'a' {
        let mut f = &file;
        io::Seek::seek(&mut f, SeekFrom::End(0)).map_err(|_| "No such file")?;
    }
    Ok(file)
}

fn api_list(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "list")?;
    let found = state
        .resolve(&p)
        .ok_or_else(|| message(&p, "No such file"))?;
    if !found.meta.is_dir() {
        return Err(message(&p, "Not a directory"));
    }
    let names = match found.open_dir() {
        Ok(dir) => state.entries(&dir),
        Err(_) => Vec::new(),
    };
    let t = lua
        .create_sequence_from(
            names
                .into_iter()
                .map(|n| lua.create_string(n))
                .collect::<mlua::Result<Vec<_>>>()
                .map_err(lua_err)?,
        )
        .map_err(lua_err)?;
    Ok(Out::One(Value::Table(t)))
}

fn api_exists(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "exists")?;
    bool_out(state.resolve(&p).is_some())
}

fn api_is_dir(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "isDir")?;
    bool_out(state.resolve(&p).is_some_and(|f| f.meta.is_dir()))
}

fn api_is_read_only(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "isReadOnly")?;
    let segments = path::components(&p).ok_or_else(|| message(&p, "Invalid path"))?;
    bool_out(state.root.nearest(&segments).is_none_or(|f| f.read_only()))
}

fn api_combine(lua: &Lua, _: &Rc<State>, args: &[Value]) -> Ret {
    let base = string_arg(lua, args, 1, "combine")?;
    let rest = (2..=args.len())
        .map(|i| string_arg(lua, args, i, "combine"))
        .collect::<Result<Vec<_>, _>>()?;
    let rest: Vec<&[u8]> = rest.iter().map(Vec::as_slice).collect();
    string_out(lua, path::combine(&base, &rest))
}

fn api_get_drive(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "getDrive")?;
    match state.resolve(&p) {
        Some(_) => string_out(lua, "hdd"),
        None => Ok(Out::Nothing),
    }
}

fn api_get_size(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "getSize")?;
    let found = state
        .resolve(&p)
        .ok_or_else(|| message(&p, "No such file"))?;
    int_out(if found.meta.is_dir() {
        0
    } else {
        found.meta.len
    })
}

/// `(free, capacity)` in bytes of the file system holding the nearest
/// existing thing on the way to `segments`.
fn space(state: &State, segments: &[Vec<u8>]) -> Option<(u64, u64)> {
    state.root.nearest(segments)?.space().ok()
}

fn api_get_free_space(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "getFreeSpace")?;
    let segments = path::components(&p).ok_or_else(|| message(&p, "No such path"))?;
    int_out(space(state, &segments).map_or(0, |s| s.0))
}

fn api_get_capacity(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "getCapacity")?;
    let Some(segments) = path::components(&p) else {
        let mut m = p.split(|&b| b == 0).next().unwrap_or_default().to_vec();
        m.extend_from_slice(b": Invalid path");
        return Err(m);
    };
    match space(state, &segments) {
        Some((_, capacity)) => int_out(capacity),
        None => Ok(Out::One(Value::Nil)),
    }
}

fn api_make_dir(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "makeDir")?;
    let cannot = || message(&p, "Could not create directory");
    let segments = path::components(&p).ok_or_else(cannot)?;
    if let Some(found) = state.root.resolve(&segments) {
        return if found.meta.is_dir() {
            Ok(Out::Nothing)
        } else {
            Err(message(&p, "File exists"))
        };
    }
    let Some((name, parents)) = segments.split_last() else {
        return Err(cannot());
    };
    let plan = state.root.plan(parents).ok_or_else(cannot)?;
    let parent = state.root.make_dirs(plan).map_err(|_| cannot())?;
    match parent.make_dir(name) {
        Ok(()) => Ok(Out::Nothing),
        Err(e) => Err(message(&p, &os_text(&e))),
    }
}

fn api_delete(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "delete")?;
    let Some(segments) = path::components(&p) else {
        return Ok(Out::Nothing);
    };
    if segments.is_empty() {
        return Err(b"Cannot delete mount, use mounter.unmount instead".to_vec());
    }
    // The entry itself: a link is removed, never what it leads to.
    let Some(entry) = state.root.entry(&segments) else {
        return Ok(Out::Nothing);
    };
    if entry.is_root() {
        return Ok(Out::Nothing);
    }
    match entry.remove() {
        Ok(()) => Ok(Out::Nothing),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Out::Nothing),
        Err(e) => Err(message(&p, &os_text(&e))),
    }
}

/// Where the destination of `move`/`copy` goes: the plan for its parent and
/// its name (`None` name: the root).
struct Destination {
    plan: sandbox::Plan,
    name: Option<Vec<u8>>,
}

impl Destination {
    fn find(state: &State, segments: &[Vec<u8>]) -> Option<Destination> {
        match segments.split_last() {
            None => Some(Destination {
                plan: state.root.plan(&[])?,
                name: None,
            }),
            Some((name, parents)) => Some(Destination {
                plan: state.root.plan(parents)?,
                name: Some(name.clone()),
            }),
        }
    }

    /// The canonical segments it would have.
    fn path(&self) -> Vec<Vec<u8>> {
        let mut p = self.plan.target();
        p.extend(self.name.iter().cloned());
        p
    }

    /// Whether something that `fs.exists` sees is there.
    fn exists(&self, root: &Root) -> bool {
        if !self.plan.missing.is_empty() {
            return false;
        }
        match &self.name {
            None => true,
            Some(name) => root.lookup(&self.plan.dir, name).is_some(),
        }
    }

    /// Create its parents; the directory it goes in and its name there.
    fn prepare(self, root: &Root) -> io::Result<(Dir, Vec<u8>)> {
        let dir = root.make_dirs(self.plan)?;
        Ok((dir, self.name.unwrap_or_else(|| b".".to_vec())))
    }
}

fn api_move(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let a = string_arg(lua, args, 1, "move")?;
    let b = string_arg(lua, args, 2, "move")?;
    let from = path::components(&a)
        .and_then(|s| state.root.entry(&s))
        .ok_or_else(|| b"No such file".to_vec())?;
    let to = path::components(&b)
        .and_then(|s| Destination::find(state, &s))
        .ok_or_else(|| message(&b, "Invalid path"))?;
    if to.path().starts_with(&from.path()) {
        return Err(b"Can't move a directory inside itself".to_vec());
    }
    if from.is_root() {
        return Err(b"Cannot move mount".to_vec());
    }
    if to.exists(&state.root) {
        return Err(b"File exists".to_vec());
    }
    let (dir, name) = to
        .prepare(&state.root)
        .map_err(|e| message(&b, &os_text(&e)))?;
    rustix::fs::renameat(from.dir.fd(), &from.name[..], dir.fd(), &name[..])
        .map_err(|e| message(&a, &os_text(&e.into())))?;
    Ok(Out::Nothing)
}

/// Whether one segment list starts the other (ASCII case-insensitively, as
/// CraftOS-PC compares them).
fn nested(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

fn api_copy(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let a = string_arg(lua, args, 1, "copy")?;
    let b = string_arg(lua, args, 2, "copy")?;
    let from_segments = path::components(&a);
    let from = from_segments
        .as_ref()
        .and_then(|s| state.root.resolve(s))
        .ok_or_else(|| message(&a, "No such file"))?;
    let to_segments = path::components(&b).ok_or_else(|| message(&b, "Invalid path"))?;
    let to = Destination::find(state, &to_segments).ok_or_else(|| message(&b, "Invalid path"))?;
    if from_segments.is_some_and(|f| nested(&f, &to_segments))
        || to.path().starts_with(&from.path())
    {
        return Err(message(&a, "Can't copy a directory inside itself"));
    }
    let (dir, name) = to
        .prepare(&state.root)
        .map_err(|e| message(&b, &os_text(&e)))?;
    copy::entry(&state.root, &from, &dir, &name).map_err(|e| message(&a, &e))?;
    Ok(Out::Nothing)
}

/// `fs.find`'s patterns have at most this many segments: a path with more
/// is longer than the longest path that exists (`PATH_MAX`, 4095 bytes;
/// each segment takes 2 bytes at least).
const FIND_MAX_PARTS: usize = 2048;

fn api_find(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "find")?;
    let pattern = path::normalize(&p);
    if pattern == b".." || pattern.starts_with(b"../") {
        let mut m = b"/".to_vec();
        m.extend_from_slice(&pattern);
        m.extend_from_slice(b": Invalid Path");
        return Err(m);
    }
    let mut out = Vec::new();
    if !pattern.iter().any(|&b| b == b'*' || b == b'?') {
        if state.resolve(&pattern).is_some() {
            out.push(pattern);
        }
    } else {
        let parts: Vec<&[u8]> = pattern.split(|&b| b == b'/').collect();
        // [fix] Bounded before anything is walked (CraftOS-PC recursed once
        // per segment: a long pattern overflowed the stack).
        if parts.len() <= FIND_MAX_PARTS
            && let Some(root) = state.root.dir()
        {
            find_in(state, &[], root, &parts, &mut out, &mut Vec::new());
        }
    }
    let t = lua
        .create_sequence_from(
            out.into_iter()
                .map(|n| lua.create_string(n))
                .collect::<mlua::Result<Vec<_>>>()
                .map_err(lua_err)?,
        )
        .map_err(lua_err)?;
    Ok(Out::One(Value::Table(t)))
}

fn joined(dir: &[u8], name: &[u8]) -> Vec<u8> {
    path::combine(dir, &[name])
}

fn has_wildcard(part: &[u8]) -> bool {
    part.iter().any(|&b| b == b'*' || b == b'?')
}

/// Match `parts` below `here`, the directory `at` names. A wildcard part
/// does not descend through a link that leads back to a directory on the
/// way (the one it is in, an ancestor of it, or one this search has come
/// through): see the module doc.
fn find_in(
    state: &State,
    at: &[u8],
    here: &Dir,
    parts: &[&[u8]],
    out: &mut Vec<Vec<u8>>,
    branch: &mut Vec<(u64, u64)>,
) {
    let Some((part, rest)) = parts.split_first() else {
        return;
    };
    let wildcard = has_wildcard(part);
    let candidates: Vec<Vec<Vec<u8>>> = if wildcard {
        state
            .entries(here)
            .into_iter()
            .filter(|name| path::wildcard_match(part, name))
            .map(|name| vec![name])
            .collect()
    } else {
        // A literal part names what `fs.exists` would (spaces trimmed, ...).
        match path::components(part) {
            Some(segments) => vec![segments],
            None => return,
        }
    };
    if wildcard {
        match here.id() {
            Ok(id) => branch.push(id),
            Err(_) => return,
        }
    }
    for segments in candidates {
        let found = match state.root.walk(here, &segments, true) {
            Walk::Found(found) => found,
            _ => continue,
        };
        let name = if wildcard { &segments[0][..] } else { part };
        let p = joined(at, name);
        if rest.is_empty() {
            out.push(p);
            continue;
        }
        if !found.meta.is_dir() {
            continue;
        }
        let target = found.path();
        if wildcard && (here.path().starts_with(&target) || branch.contains(&found.meta.id())) {
            continue;
        }
        if let Ok(dir) = found.open_dir() {
            find_in(state, &p, &dir, rest, out, branch);
        }
    }
    if wildcard {
        branch.pop();
    }
}

fn api_attributes(lua: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let p = string_arg(lua, args, 1, "attributes")?;
    let found = state
        .resolve(&p)
        .ok_or_else(|| message(&p, "No such file"))?;
    let t = attributes_table(lua, &found.meta, found.read_only()).map_err(lua_err)?;
    Ok(Out::One(Value::Table(t)))
}

fn attributes_table(lua: &Lua, m: &Meta, read_only: bool) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("modification", m.modified_ms)?;
    t.raw_set("modified", m.modified_ms)?;
    t.raw_set("created", m.created_ms)?;
    t.raw_set("size", if m.is_dir() { 0 } else { m.len as i64 })?;
    t.raw_set("isDir", m.is_dir())?;
    t.raw_set("isReadOnly", read_only)?;
    Ok(t)
}

// ---------------------------------------------------------------------------
// Handle functions: the first argument is the handle userdata.

const CLOSED: &[u8] = b"attempt to use a closed file";

fn with_file(args: &[Value], f: impl FnOnce(&mut OpenFile, &[Value]) -> Ret) -> Ret {
    let Some(Value::UserData(ud)) = args.first() else {
        return Err(CLOSED.to_vec());
    };
    let handle = ud.borrow::<Handle>().map_err(|_| CLOSED.to_vec())?;
    let mut slot = handle.slot.borrow_mut();
    match slot.as_mut() {
        Some(file) => f(file, &args[1..]),
        None => Err(CLOSED.to_vec()),
    }
}

fn h_close(_: &Lua, state: &Rc<State>, args: &[Value]) -> Ret {
    let Some(Value::UserData(ud)) = args.first() else {
        return Err(CLOSED.to_vec());
    };
    let handle = ud.borrow::<Handle>().map_err(|_| CLOSED.to_vec())?;
    let taken = handle.slot.borrow_mut().take();
    let Some(mut file) = taken else {
        return Err(CLOSED.to_vec());
    };
    state.count.set(state.count.get().saturating_sub(1));
    file.flush().map_err(|_| b"Could not write file".to_vec())?;
    Ok(Out::Nothing)
}

fn h_flush(_: &Lua, _: &Rc<State>, args: &[Value]) -> Ret {
    with_file(args, |file, _| {
        file.flush().map_err(|_| b"Could not write file".to_vec())?;
        Ok(Out::Nothing)
    })
}

fn h_read(lua: &Lua, _: &Rc<State>, args: &[Value], binary: bool) -> Ret {
    with_file(args, |file, rest| {
        // `lua_isnumber`: numbers and numeric strings count, anything else
        // means "one".
        let n = match rest.first() {
            Some(v @ (Value::Integer(_) | Value::Number(_) | Value::String(_))) => lua
                .coerce_number(v.clone())
                .ok()
                .flatten()
                .map(|x| if x.is_nan() { 0 } else { x.trunc() as i64 }),
            _ => None,
        };
        let data = match file.read(n) {
            Ok(Some(data)) => data,
            Ok(None) => return Ok(Out::Nothing),
            Err(ReadError::Negative) if binary => {
                return Err(b"Cannot read a negative number of bytes".to_vec());
            }
            Err(ReadError::Negative) => {
                return Err(b"Cannot read a negative number of characters".to_vec());
            }
            Err(ReadError::Io) => return Err(b"Could not read file".to_vec()),
        };
        if binary && n.is_none() {
            return Ok(Out::One(Value::Integer(i64::from(data[0]))));
        }
        string_out(lua, data)
    })
}

fn h_read_line(lua: &Lua, _: &Rc<State>, args: &[Value]) -> Ret {
    with_file(args, |file, rest| {
        match file.read_line(is_truthy(rest.first())) {
            Ok(Some(line)) => string_out(lua, line),
            Ok(None) => Ok(Out::Nothing),
            Err(_) => Err(b"Could not read file".to_vec()),
        }
    })
}

fn h_read_all(lua: &Lua, _: &Rc<State>, args: &[Value]) -> Ret {
    with_file(args, |file, _| match file.read_all() {
        Ok(data) => string_out(lua, data),
        Err(_) => Err(b"Could not read file".to_vec()),
    })
}

fn h_write(lua: &Lua, _: &Rc<State>, args: &[Value], line: bool) -> Ret {
    let name = if line { "writeLine" } else { "write" };
    with_file(args, |file, rest| {
        let mut data = match rest.first() {
            None | Some(Value::Nil) => return Ok(Out::Nothing),
            Some(Value::String(s)) => s.as_bytes().to_vec(),
            Some(v @ (Value::Integer(_) | Value::Number(_))) => lua
                .coerce_string(v.clone())
                .ok()
                .flatten()
                .map(|s| s.as_bytes().to_vec())
                .unwrap_or_default(),
            Some(_) => return Err(bad_arg(&args[1..], 1, name, "string")),
        };
        if line {
            data.push(b'\n');
        }
        file.write(&data)
            .map_err(|_| b"Could not write file".to_vec())?;
        Ok(Out::Nothing)
    })
}

fn h_write_byte(_: &Lua, _: &Rc<State>, args: &[Value]) -> Ret {
    with_file(args, |file, rest| {
        let data = match rest.first() {
            Some(Value::Integer(i)) => vec![(*i & 0xFF) as u8],
            Some(Value::Number(x)) => {
                let i = if x.is_finite() { x.trunc() as i64 } else { 0 };
                vec![(i & 0xFF) as u8]
            }
            Some(Value::String(s)) => s.as_bytes().to_vec(),
            _ => return Err(bad_arg(&args[1..], 1, "write", "number or string")),
        };
        file.write(&data)
            .map_err(|_| b"Could not write file".to_vec())?;
        Ok(Out::Nothing)
    })
}

fn h_seek(lua: &Lua, _: &Rc<State>, args: &[Value]) -> Ret {
    with_file(args, |file, rest| {
        let whence = match rest.first() {
            None | Some(Value::Nil) => b"cur".to_vec(),
            Some(Value::String(s)) => s.as_bytes().to_vec(),
            Some(v @ (Value::Integer(_) | Value::Number(_))) => lua
                .coerce_string(v.clone())
                .ok()
                .flatten()
                .map(|s| s.as_bytes().to_vec())
                .unwrap_or_default(),
            Some(_) => return Err(bad_arg(rest, 1, "seek", "string")),
        };
        let offset = match rest.get(1) {
            None | Some(Value::Nil) => 0,
            Some(v) => craftos_http_lua::args::integer(v, 2, "seek").map_err(String::into_bytes)?,
        };
        let to = match &whence[..] {
            b"set" if offset < 0 => {
                return nil_msg(lua, b"Position is negative".to_vec());
            }
            b"set" => SeekFrom::Start(offset as u64),
            b"cur" => SeekFrom::Current(offset),
            b"end" => SeekFrom::End(offset),
            other => {
                let mut m = b"bad argument #1 to 'seek' (invalid option '".to_vec();
                m.extend_from_slice(other);
                m.extend_from_slice(b"')");
                return Err(m);
            }
        };
        match file.seek(to) {
            Ok(pos) => int_out(pos),
            Err(e) => nil_msg(lua, os_text(&e).into_bytes()),
        }
    })
}

#[cfg(test)]
mod tests;
