//! `Too long without yielding`: a computer's script may not keep its thread
//! forever (CraftOS-PC's `abortTimeout`, CC: Tweaked's timeout).
//!
//! An instruction-count hook looks at the clock every `HOOK_EVERY` (100,000)
//! instructions. Once the script has run `limit` since it was last resumed,
//! the hook raises the string `Too long without yielding` (a soft abort: a
//! `pcall` catches it, and the script may still yield), and raises it again
//! at each later look until the script yields. If it has not yielded
//! [`HARD_GRACE`] after the first error (it caught the error and went on, as
//! a `while true do pcall(f) end` loop does), the computer is stopped: from
//! then on the hook runs at every instruction and raises, so no Lua code can
//! run, whatever it catches, and the computer's loop ends the run with the
//! same message, as CC: Tweaked's hard abort does.
//!
//! C functions that can run long without Lua instructions (pattern
//! matching) call [`check`] themselves.
//!
//! The hook is a raw C hook (not mlua's, whose errors reach scripts as
//! userdata): it finds its [`Watchdog`] in the registry and raises with
//! `lua_error` with no Rust value live.
//!
//! A computer's loop (`craftos-http-runner`'s) makes the [`Watchdog`],
//! [`install`]s it and says when it resumes the script
//! ([`Watchdog::resumed`]); [`check`] is what `patterns` calls. It lives in
//! this crate, not in the binding, because it is single-threaded state (an
//! `Rc` the Lua state holds) and `patterns` needs it: the binding must
//! also build with mlua's `send` feature, which this crate refuses.

use std::cell::Cell;
use std::ffi::c_int;
use std::ffi::c_void;
use std::ptr;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mlua::ffi::{self, lua_State};
use mlua::{Lua, Thread, ffi::lua_Debug};

use craftos_http_lua::raw::{NResults, c_function};

/// The error text, as CraftOS-PC and CC: Tweaked word it.
pub const MESSAGE: &str = "Too long without yielding";

/// How long a script has, after the first error, to yield before its
/// computer is stopped (CC: Tweaked's `ABORT_TIMEOUT`).
pub const HARD_GRACE: Duration = Duration::from_millis(1500);

/// Instructions between two looks at the clock (cheap next to them).
const HOOK_EVERY: c_int = 100_000;

/// Registry key of the state's watchdog (the address of this static).
static WATCHDOG_KEY: u8 = 0;

/// One computer's yield deadline, shared by its event loop (which says when
/// the script was resumed) and the hook (which enforces it).
#[derive(Debug)]
pub struct Watchdog {
    limit: Duration,
    /// When the script was last resumed.
    turn: Cell<Instant>,
    /// When the first error of this turn was raised.
    soft_at: Cell<Option<Instant>>,
    /// The grace after the error ran out: the computer is being stopped.
    hard: Cell<bool>,
    /// A memory limit to enforce at each look, where the VM's allocator
    /// cannot (LuaJIT manages its own memory).
    memory_limit: Option<usize>,
    /// Set from another thread (a second SIGINT): stop the script at the
    /// next look, as a hard abort does, so that its computer can shut down
    /// in order (files flushed) even while the script never yields.
    kill: Arc<AtomicBool>,
}

/// What the hook does at a look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Continue,
    /// Raise the error.
    Soft,
    /// Raise it at every instruction from now on.
    Hard,
}

impl Watchdog {
    /// A watchdog allowing `limit` without yielding, and enforcing
    /// `memory_limit` (bytes) at each look when given.
    pub fn new(limit: Duration, memory_limit: Option<usize>) -> Self {
        Watchdog {
            limit,
            memory_limit,
            kill: Arc::default(),
            turn: Cell::new(Instant::now()),
            soft_at: Cell::new(None),
            hard: Cell::new(false),
        }
    }

    /// The script is resumed at `now`: a new turn.
    pub fn resumed(&self, now: Instant) {
        self.turn.set(now);
        self.soft_at.set(None);
    }

    /// When the current turn began.
    pub fn turn_started(&self) -> Instant {
        self.turn.get()
    }

    /// Whether the grace ran out: the computer must stop.
    pub fn stopped(&self) -> bool {
        self.hard.get()
    }

    /// Whether [`kill_switch`](Self::kill_switch) was thrown.
    pub fn killed(&self) -> bool {
        self.kill.load(Ordering::Relaxed)
    }

    /// What another thread sets to stop the script at once.
    pub fn kill_switch(&self) -> Arc<AtomicBool> {
        self.kill.clone()
    }
}

impl Watchdog {
    fn look(&self, now: Instant) -> Verdict {
        if self.hard.get() {
            return Verdict::Hard;
        }
        if self.kill.load(Ordering::Relaxed) {
            self.hard.set(true);
            return Verdict::Hard;
        }
        if now.duration_since(self.turn.get()) < self.limit {
            return Verdict::Continue;
        }
        match self.soft_at.get() {
            None => {
                self.soft_at.set(Some(now));
                Verdict::Soft
            }
            Some(at) if now.duration_since(at) >= HARD_GRACE => {
                self.hard.set(true);
                Verdict::Hard
            }
            Some(_) => Verdict::Soft,
        }
    }
}

/// Watch `lua`'s scripts with `watchdog`: the hook on the main state and
/// on `main` (the computer's main coroutine; coroutines the script creates
/// inherit the hook of their creator).
pub fn install(lua: &Lua, main: &Thread, watchdog: &Rc<Watchdog>) -> mlua::Result<()> {
    let held = watchdog.clone();
    // SAFETY: balanced stack use inside mlua's protected call; the userdata
    // is written before anything can raise and dropped by its `__gc`.
    unsafe {
        lua.exec_raw::<()>(main, move |l| {
            let thread = ffi::lua_tothread(l, -1);
            let slot =
                ffi::lua_newuserdata(l, std::mem::size_of::<Rc<Watchdog>>()).cast::<Rc<Watchdog>>();
            ptr::write(slot, held);
            ffi::lua_createtable(l, 0, 1);
            ffi::lua_pushcclosure(l, c_function(watchdog_gc), 0);
            ffi::lua_setfield(l, -2, c"__gc".as_ptr());
            ffi::lua_setmetatable(l, -2);
            ffi::lua_rawsetp(l, ffi::LUA_REGISTRYINDEX, key());
            set_hook(l, Some(hook), ffi::LUA_MASKCOUNT, HOOK_EVERY);
            if !thread.is_null() {
                set_hook(thread, Some(hook), ffi::LUA_MASKCOUNT, HOOK_EVERY);
            }
            ffi::lua_pop(l, 1);
        })
    }
}

/// Take the hook off `lua`'s main state (the computer has stopped: what
/// runs now, such as finalizers at close, is not the script's turn).
pub fn disarm(lua: &Lua) {
    // SAFETY: no stack use.
    let _ = unsafe {
        lua.exec_raw::<()>((), |l| {
            set_hook(l, None, 0, 0);
        })
    };
}

/// `lua_sethook`, whose result type differs between the VMs (an `int`
/// that is always 1, or nothing).
///
/// # Safety
/// `l` is a live state.
unsafe fn set_hook(l: *mut lua_State, f: Option<ffi::lua_Hook>, mask: c_int, count: c_int) {
    // SAFETY: per the caller.
    #[allow(clippy::let_unit_value, clippy::unused_unit)]
    let _ = unsafe { ffi::lua_sethook(l, f, mask, count) };
}

fn key() -> *const c_void {
    &WATCHDOG_KEY as *const u8 as *const c_void
}

unsafe extern "C-unwind" fn watchdog_gc(l: *mut lua_State) -> NResults {
    // SAFETY: only the userdata made by `install` has this metatable.
    unsafe {
        let slot = ffi::lua_touserdata(l, 1).cast::<Rc<Watchdog>>();
        if !slot.is_null() {
            ptr::drop_in_place(slot);
        }
    }
    0
}

/// The state's watchdog, if one was installed.
///
/// # Safety
/// `l` is a live state with a free stack slot.
unsafe fn find<'a>(l: *mut lua_State) -> Option<&'a Watchdog> {
    // SAFETY: per the caller; the userdata under the key is the one
    // `install` wrote, alive while the state is.
    unsafe {
        ffi::lua_rawgetp(l, ffi::LUA_REGISTRYINDEX, key());
        let slot = ffi::lua_touserdata(l, -1).cast::<Rc<Watchdog>>();
        ffi::lua_pop(l, 1);
        if slot.is_null() { None } else { Some(&**slot) }
    }
}

unsafe extern "C-unwind" fn hook(l: *mut lua_State, _ar: *mut lua_Debug) {
    // SAFETY: called by Lua as a count hook (LUA_MINSTACK free slots); the
    // watchdog reference has no destructor, so raising skips nothing.
    unsafe {
        let Some(watchdog) = find(l) else {
            return;
        };
        match watchdog.look(Instant::now()) {
            Verdict::Continue => {}
            Verdict::Soft => raise(l, MESSAGE),
            Verdict::Hard => {
                set_hook(l, Some(hook), ffi::LUA_MASKCOUNT, 1);
                raise(l, MESSAGE)
            }
        }
        if let Some(limit) = watchdog.memory_limit
            && used_memory(l) > limit
        {
            ffi::lua_gc(l, ffi::LUA_GCCOLLECT, 0);
            if used_memory(l) > limit {
                raise(l, "not enough memory")
            }
        }
    }
}

/// The bytes the state holds, as its collector counts them.
///
/// # Safety
/// `l` is a live state.
unsafe fn used_memory(l: *mut lua_State) -> usize {
    // SAFETY: per the caller.
    unsafe {
        let kb = ffi::lua_gc(l, ffi::LUA_GCCOUNT, 0).max(0) as usize;
        let rest = ffi::lua_gc(l, ffi::LUA_GCCOUNTB, 0).max(0) as usize;
        kb * 1024 + rest
    }
}

/// Raise `message`.
///
/// # Safety
/// Called last, with no Rust value with a destructor live in the frames
/// it unwinds.
unsafe fn raise(l: *mut lua_State, message: &'static str) -> ! {
    // SAFETY: per the caller.
    unsafe {
        ffi::lua_pushlstring(l, message.as_ptr().cast(), message.len());
        ffi::lua_error(l)
    }
}

/// For C functions that run long without Lua instructions: whether the
/// script must stop now (`Err(MESSAGE)` is the error to raise, once the
/// caller has dropped what it holds).
///
/// # Safety
/// `l` is a live state with a free stack slot.
pub unsafe fn check(l: *mut lua_State) -> Result<(), &'static str> {
    // SAFETY: per the caller.
    match unsafe { find(l) } {
        Some(watchdog) if watchdog.look(Instant::now()) != Verdict::Continue => Err(MESSAGE),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_then_hard_after_the_grace() {
        let w = Watchdog::new(Duration::from_secs(1), None);
        let t0 = Instant::now();
        w.resumed(t0);
        assert_eq!(w.look(t0 + Duration::from_millis(999)), Verdict::Continue);
        assert_eq!(w.look(t0 + Duration::from_secs(1)), Verdict::Soft);
        assert_eq!(w.look(t0 + Duration::from_millis(2000)), Verdict::Soft);
        assert!(!w.stopped());
        assert_eq!(w.look(t0 + Duration::from_millis(2500)), Verdict::Hard);
        assert!(w.stopped());
        // Nothing undoes a hard stop.
        assert!(!w.killed());
        w.resumed(t0 + Duration::from_secs(3));
        assert_eq!(w.look(t0 + Duration::from_secs(3)), Verdict::Hard);
    }

    #[test]
    fn the_kill_switch_stops_at_the_next_look() {
        let w = Watchdog::new(Duration::from_secs(100), None);
        let t0 = Instant::now();
        w.resumed(t0);
        assert_eq!(w.look(t0), Verdict::Continue);
        w.kill_switch().store(true, Ordering::Relaxed);
        assert_eq!(w.look(t0), Verdict::Hard);
        assert!(w.killed() && w.stopped());
    }

    #[test]
    fn a_yield_starts_a_new_turn() {
        let w = Watchdog::new(Duration::from_secs(1), None);
        let t0 = Instant::now();
        w.resumed(t0);
        assert_eq!(w.look(t0 + Duration::from_secs(1)), Verdict::Soft);
        w.resumed(t0 + Duration::from_millis(1200));
        assert_eq!(w.look(t0 + Duration::from_millis(2100)), Verdict::Continue);
        // The grace counts from the first error of the new turn.
        assert_eq!(w.look(t0 + Duration::from_millis(2200)), Verdict::Soft);
        assert_eq!(w.look(t0 + Duration::from_millis(3600)), Verdict::Soft);
        assert_eq!(w.look(t0 + Duration::from_millis(3700)), Verdict::Hard);
    }
}
