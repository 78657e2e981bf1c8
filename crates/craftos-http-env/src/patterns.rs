//! `string.find`, `string.match`, `string.gmatch` and `string.gsub` with
//! Lua 5.2's patterns (CraftOS-PC's Lua), interruptible.
//!
//! Lua's own pattern matcher is C code that runs no instruction hook: a
//! backtracking pattern on a large subject (`s:match("^%s*(.-)%s*$")` on a
//! 16 KB body, or `("a*"):rep(20) .. "b"`) holds the computer's thread for
//! seconds or forever, out of reach of `Too long without yielding`. These
//! replacements have the same semantics and error texts as Lua 5.2's
//! `lstrlib.c` on every VM the crate builds, and look at the computer's
//! watchdog every 65536 steps, raising its error when the script
//! has run too long. Plain `find` uses a linear-time substring search.
//!
//! They are raw C functions: arguments are read with `luaL_check*` (the
//! standard argument errors), captures are slices of the subject (kept
//! alive on the stack), `gsub` builds its result in a `luaL_Buffer`, and
//! the matcher's state lives on the Rust stack with nothing to drop, so an
//! error raised anywhere (by the watchdog, a replacement function, or out
//! of memory) unwinds past no owned value.

use std::ffi::c_int;

use mlua::Lua;
use mlua::ffi::{self, lua_State};

use craftos_http_lua::raw::{NResults, Native, c_function, nresults};

/// Lua's `LUA_MAXCAPTURES`.
const MAX_CAPTURES: usize = 32;
/// Lua's `MAXCCALLS`: the recursion depth of one match.
const MAX_DEPTH: u32 = 200;
/// Steps of the matcher between two looks at the watchdog.
const CHECK_EVERY: u32 = 1 << 16;

const L_ESC: u8 = b'%';
const SPECIALS: &[u8] = b"^$*+?.([%-";

const CAP_UNFINISHED: isize = -1;
const CAP_POSITION: isize = -2;

/// Why a match stopped with an error (raised by the caller).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Error {
    /// A fixed message.
    Text(&'static str),
    /// `invalid capture index %N` (N a digit).
    CaptureIndex(u8),
    /// The watchdog's message.
    Interrupted(&'static str),
}

type Step<T> = Result<T, Error>;

/// One capture: where it starts and its length (or `CAP_*`).
#[derive(Clone, Copy)]
struct Capture {
    init: usize,
    len: isize,
}

struct MatchState<'a> {
    src: &'a [u8],
    pat: &'a [u8],
    level: usize,
    depth: u32,
    /// Written below `level` only (and read only there): left
    /// uninitialised, as Lua's is, since a match starts often.
    capture: [std::mem::MaybeUninit<Capture>; MAX_CAPTURES],
    steps: u32,
    l: *mut lua_State,
}

impl<'a> MatchState<'a> {
    fn new(l: *mut lua_State, src: &'a [u8], pat: &'a [u8]) -> Self {
        MatchState {
            src,
            pat,
            level: 0,
            depth: MAX_DEPTH,
            capture: [std::mem::MaybeUninit::uninit(); MAX_CAPTURES],
            steps: 0,
            l,
        }
    }

    /// Capture `i` (below `level`, so written).
    fn cap(&self, i: usize) -> Capture {
        debug_assert!(i < self.level);
        // SAFETY: captures below `level` were written by `start_capture`.
        unsafe { self.capture[i].assume_init() }
    }

    /// Set the length of capture `i` (below `level`).
    fn set_len(&mut self, i: usize, len: isize) {
        let cap = self.cap(i);
        self.capture[i].write(Capture {
            init: cap.init,
            len,
        });
    }

    fn reprep(&mut self) {
        self.level = 0;
        self.depth = MAX_DEPTH;
    }

    /// The pattern byte at `p`, 0 past the end (as C's terminating NUL).
    fn pc(&self, p: usize) -> u8 {
        self.pat.get(p).copied().unwrap_or(0)
    }

    /// Count a step; look at the watchdog now and then.
    fn tick(&mut self) -> Step<()> {
        self.steps = self.steps.wrapping_add(1);
        if self.steps.is_multiple_of(CHECK_EVERY) {
            // SAFETY: the state of the running C function.
            unsafe { crate::watchdog::check(self.l) }.map_err(Error::Interrupted)?;
        }
        Ok(())
    }

    fn class_end(&self, mut p: usize) -> Step<usize> {
        let c = self.pc(p);
        p += 1;
        if c == L_ESC {
            if p >= self.pat.len() {
                return Err(Error::Text("malformed pattern (ends with '%')"));
            }
            return Ok(p + 1);
        }
        if c == b'[' {
            if self.pc(p) == b'^' {
                p += 1;
            }
            loop {
                if p >= self.pat.len() {
                    return Err(Error::Text("malformed pattern (missing ']')"));
                }
                let cc = self.pat[p];
                p += 1;
                if cc == L_ESC && p < self.pat.len() {
                    p += 1;
                }
                if self.pc(p) == b']' {
                    break;
                }
            }
            return Ok(p + 1);
        }
        Ok(p)
    }

    /// Whether `c` is in the class `[...]` spanning `p` (at `[`) to `ec`
    /// (at `]`).
    fn match_bracket_class(&self, c: u8, mut p: usize, ec: usize) -> bool {
        let mut sig = true;
        if self.pc(p + 1) == b'^' {
            sig = false;
            p += 1;
        }
        loop {
            p += 1;
            if p >= ec {
                break;
            }
            if self.pc(p) == L_ESC {
                p += 1;
                if match_class(c, self.pc(p)) {
                    return sig;
                }
            } else if self.pc(p + 1) == b'-' && p + 2 < ec {
                p += 2;
                if self.pc(p - 2) <= c && c <= self.pc(p) {
                    return sig;
                }
            } else if self.pc(p) == c {
                return sig;
            }
        }
        !sig
    }

    fn single_match(&self, s: usize, p: usize, ep: usize) -> bool {
        let Some(&c) = self.src.get(s) else {
            return false;
        };
        match self.pc(p) {
            b'.' => true,
            L_ESC => match_class(c, self.pc(p + 1)),
            b'[' => self.match_bracket_class(c, p, ep - 1),
            pc => pc == c,
        }
    }

    fn match_balance(&self, s: usize, p: usize) -> Step<Option<usize>> {
        if p + 1 >= self.pat.len() {
            return Err(Error::Text("malformed pattern (missing arguments to '%b')"));
        }
        if self.src.get(s) != Some(&self.pat[p]) {
            return Ok(None);
        }
        let (b, e) = (self.pat[p], self.pat[p + 1]);
        let mut cont = 1;
        let mut s = s + 1;
        while s < self.src.len() {
            let c = self.src[s];
            if c == e {
                cont -= 1;
                if cont == 0 {
                    return Ok(Some(s + 1));
                }
            } else if c == b {
                cont += 1;
            }
            s += 1;
        }
        Ok(None)
    }

    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> Step<Option<usize>> {
        let mut i = 0usize;
        while self.single_match(s + i, p, ep) {
            i += 1;
            self.tick()?;
        }
        loop {
            if let Some(res) = self.do_match(s + i, ep + 1)? {
                return Ok(Some(res));
            }
            if i == 0 {
                return Ok(None);
            }
            i -= 1;
        }
    }

    fn min_expand(&mut self, mut s: usize, p: usize, ep: usize) -> Step<Option<usize>> {
        loop {
            if let Some(res) = self.do_match(s, ep + 1)? {
                return Ok(Some(res));
            }
            if self.single_match(s, p, ep) {
                s += 1;
            } else {
                return Ok(None);
            }
        }
    }

    fn start_capture(&mut self, s: usize, p: usize, what: isize) -> Step<Option<usize>> {
        if self.level >= MAX_CAPTURES {
            return Err(Error::Text("too many captures"));
        }
        self.capture[self.level].write(Capture { init: s, len: what });
        self.level += 1;
        let res = self.do_match(s, p)?;
        if res.is_none() {
            self.level -= 1;
        }
        Ok(res)
    }

    fn end_capture(&mut self, s: usize, p: usize) -> Step<Option<usize>> {
        let l = self.capture_to_close()?;
        self.set_len(l, (s - self.cap(l).init) as isize);
        let res = self.do_match(s, p)?;
        if res.is_none() {
            self.set_len(l, CAP_UNFINISHED);
        }
        Ok(res)
    }

    fn capture_to_close(&self) -> Step<usize> {
        (0..self.level)
            .rev()
            .find(|&i| self.cap(i).len == CAP_UNFINISHED)
            .ok_or(Error::Text("invalid pattern capture"))
    }

    fn check_capture(&self, l: u8) -> Step<usize> {
        let i = l.wrapping_sub(b'1') as usize;
        if l < b'1' || i >= self.level || self.cap(i).len == CAP_UNFINISHED {
            return Err(Error::CaptureIndex(l.wrapping_sub(b'0')));
        }
        Ok(i)
    }

    fn match_capture(&self, s: usize, l: u8) -> Step<Option<usize>> {
        let i = self.check_capture(l)?;
        let cap = self.cap(i);
        let len = cap.len as usize;
        if self.src.len() - s >= len && self.src[cap.init..cap.init + len] == self.src[s..s + len] {
            Ok(Some(s + len))
        } else {
            Ok(None)
        }
    }

    /// Lua's `match`: where a match of the pattern from `p` starting at `s`
    /// ends, if there is one.
    fn do_match(&mut self, mut s: usize, mut p: usize) -> Step<Option<usize>> {
        if self.depth == 0 {
            return Err(Error::Text("pattern too complex"));
        }
        self.depth -= 1;
        let result = loop {
            self.tick()?;
            if p >= self.pat.len() {
                break Some(s);
            }
            match self.pat[p] {
                b'(' => {
                    break if self.pc(p + 1) == b')' {
                        self.start_capture(s, p + 2, CAP_POSITION)?
                    } else {
                        self.start_capture(s, p + 1, CAP_UNFINISHED)?
                    };
                }
                b')' => break self.end_capture(s, p + 1)?,
                b'$' if p + 1 == self.pat.len() => {
                    break (s == self.src.len()).then_some(s);
                }
                L_ESC if self.pc(p + 1) == b'b' => match self.match_balance(s, p + 2)? {
                    Some(e) => {
                        s = e;
                        p += 4;
                        continue;
                    }
                    None => break None,
                },
                L_ESC if self.pc(p + 1) == b'f' => {
                    p += 2;
                    if self.pc(p) != b'[' {
                        return Err(Error::Text("missing '[' after '%f' in pattern"));
                    }
                    let ep = self.class_end(p)?;
                    let previous = if s == 0 { 0 } else { self.src[s - 1] };
                    let current = self.src.get(s).copied().unwrap_or(0);
                    if !self.match_bracket_class(previous, p, ep - 1)
                        && self.match_bracket_class(current, p, ep - 1)
                    {
                        p = ep;
                        continue;
                    }
                    break None;
                }
                L_ESC if self.pc(p + 1).is_ascii_digit() => {
                    match self.match_capture(s, self.pc(p + 1))? {
                        Some(e) => {
                            s = e;
                            p += 2;
                            continue;
                        }
                        None => break None,
                    }
                }
                _ => {
                    let ep = self.class_end(p)?;
                    let next = self.pc(ep);
                    let within = ep < self.pat.len();
                    if !self.single_match(s, p, ep) {
                        if within && matches!(next, b'*' | b'?' | b'-') {
                            p = ep + 1;
                            continue;
                        }
                        break None;
                    }
                    match next {
                        b'?' if within => match self.do_match(s + 1, ep + 1)? {
                            Some(res) => break Some(res),
                            None => {
                                p = ep + 1;
                                continue;
                            }
                        },
                        b'+' if within => break self.max_expand(s + 1, p, ep)?,
                        b'*' if within => break self.max_expand(s, p, ep)?,
                        b'-' if within => break self.min_expand(s, p, ep)?,
                        _ => {
                            s += 1;
                            p = ep;
                            continue;
                        }
                    }
                }
            }
        };
        self.depth += 1;
        Ok(result)
    }

    /// How many values [`push_captures`] pushes for a match `s..e`.
    fn capture_count(&self, whole: bool) -> usize {
        if self.level == 0 && whole {
            1
        } else {
            self.level
        }
    }

    /// Push capture `i` of the match `s..e` (the whole match when there
    /// are no captures).
    ///
    /// # Safety
    /// A stack slot is free; `src` is a string on the stack.
    unsafe fn push_capture(&self, i: usize, s: usize, e: usize) -> Step<()> {
        // SAFETY: per the caller; the slices are inside `src`.
        unsafe {
            if i >= self.level {
                if i != 0 {
                    return Err(Error::Text("invalid capture index"));
                }
                ffi::lua_pushlstring(self.l, self.src[s..].as_ptr().cast(), e - s);
                return Ok(());
            }
            let cap = self.cap(i);
            match cap.len {
                CAP_UNFINISHED => return Err(Error::Text("unfinished capture")),
                CAP_POSITION => ffi::lua_pushinteger(self.l, (cap.init + 1) as ffi::lua_Integer),
                len => {
                    ffi::lua_pushlstring(
                        self.l,
                        self.src[cap.init..].as_ptr().cast(),
                        len as usize,
                    );
                }
            }
        }
        Ok(())
    }

    /// Push the captures of the match `s..e` (`whole`: the whole match if
    /// there are none); how many.
    ///
    /// # Safety
    /// As [`push_capture`](Self::push_capture).
    unsafe fn push_captures(&self, s: usize, e: usize, whole: bool) -> Step<c_int> {
        let n = self.capture_count(whole);
        // SAFETY: per the caller.
        unsafe {
            if ffi::lua_checkstack(self.l, n as c_int) == 0 {
                return Err(Error::Text("too many captures"));
            }
            for i in 0..n {
                self.push_capture(i, s, e)?;
            }
        }
        Ok(n as c_int)
    }
}

/// `%a`, `%d`, ... as C's `ctype` in the "C" locale.
fn match_class(c: u8, cl: u8) -> bool {
    let res = match cl.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'g' => c.is_ascii_graphic(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        b's' => matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        b'z' => c == 0,
        _ => return cl == c,
    };
    if cl.is_ascii_uppercase() { !res } else { res }
}

/// Lua 5.2's `posrelat`: a relative string position (negative: from the
/// end) made absolute; 0 for positions before the start.
fn posrelat(pos: ffi::lua_Integer, len: usize) -> i64 {
    // `lua_Integer` is `isize` on Lua 5.1 and LuaJIT.
    #[allow(clippy::unnecessary_cast)]
    let pos = pos as i64;
    if pos >= 0 {
        pos
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        len as i64 + pos + 1
    }
}

/// The string argument `arg` (`luaL_checklstring`: numbers converted).
///
/// # Safety
/// `l` is the state of a running C function; the bytes live while the
/// argument is on the stack.
unsafe fn string_arg<'a>(l: *mut lua_State, arg: c_int) -> &'a [u8] {
    // SAFETY: per the caller.
    unsafe {
        let mut len = 0usize;
        let p = ffi::luaL_checklstring(l, arg, &mut len);
        std::slice::from_raw_parts(p.cast::<u8>(), len)
    }
}

/// Raise `error`.
///
/// # Safety
/// Called last in a C function, with nothing owned live.
unsafe fn raise(l: *mut lua_State, error: Error) -> ! {
    let mut buf = [0u8; 64];
    let text: &[u8] = match error {
        Error::Text(t) | Error::Interrupted(t) => t.as_bytes(),
        Error::CaptureIndex(n) => {
            let head = b"invalid capture index %";
            buf[..head.len()].copy_from_slice(head);
            buf[head.len()] = b'0' + n.min(9);
            &buf[..head.len() + 1]
        }
    };
    // SAFETY: per the caller.
    unsafe {
        // As `luaL_error`: the position of the caller (none for a call from
        // C), except for the watchdog's error, which has none.
        let positioned = !matches!(error, Error::Interrupted(_));
        if positioned {
            ffi::luaL_where(l, 1);
        }
        ffi::lua_pushlstring(l, text.as_ptr().cast(), text.len());
        if positioned {
            ffi::lua_concat(l, 2);
        }
        ffi::lua_error(l)
    }
}

/// Run a native body; raise its error.
///
/// # Safety
/// `l` is the state of a running C function.
unsafe fn run(l: *mut lua_State, body: impl FnOnce() -> Step<c_int>) -> NResults {
    match body() {
        Ok(n) => nresults(n),
        // SAFETY: per the caller; `body` has returned, nothing is live.
        Err(e) => unsafe { raise(l, e) },
    }
}

/// Where `needle` first occurs in `hay`: a linear-time search for long
/// subjects (Lua's `lmemfind` is quadratic at worst), a plain scan for
/// short ones, where setting a searcher up costs more than it saves.
fn plain_find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    match needle {
        [] => Some(0),
        [c] => memchr::memchr(*c, hay),
        [first, rest @ ..] if hay.len() < 256 => {
            let mut at = 0;
            while let Some(i) = memchr::memchr(*first, &hay[at..]) {
                let start = at + i;
                if hay.len() - start < needle.len() {
                    return None;
                }
                if &hay[start + 1..start + needle.len()] == rest {
                    return Some(start);
                }
                at = start + 1;
            }
            None
        }
        _ => memchr::memmem::find(hay, needle),
    }
}

/// Whether the pattern has none of the magic characters (a plain find).
fn no_specials(p: &[u8]) -> bool {
    !p.iter().any(|c| SPECIALS.contains(c))
}

/// `string.find` (`find`) and `string.match`.
unsafe fn find_aux(l: *mut lua_State, find: bool) -> NResults {
    // SAFETY: called by Lua as a C function.
    unsafe {
        let s = string_arg(l, 1);
        let p = string_arg(l, 2);
        let init = posrelat(ffi::luaL_optinteger(l, 3, 1), s.len());
        let init = if init < 1 {
            1
        } else if init > s.len() as i64 + 1 {
            ffi::lua_pushnil(l);
            return nresults(1);
        } else {
            init as usize
        };
        if find && (ffi::lua_toboolean(l, 4) != 0 || no_specials(p)) {
            return match plain_find(&s[init - 1..], p) {
                Some(at) => {
                    let start = init - 1 + at;
                    ffi::lua_pushinteger(l, (start + 1) as ffi::lua_Integer);
                    ffi::lua_pushinteger(l, (start + p.len()) as ffi::lua_Integer);
                    nresults(2)
                }
                None => {
                    ffi::lua_pushnil(l);
                    nresults(1)
                }
            };
        }
        run(l, || {
            let (anchor, p) = match p.first() {
                Some(b'^') => (true, &p[1..]),
                _ => (false, p),
            };
            let mut ms = MatchState::new(l, s, p);
            let mut s1 = init - 1;
            loop {
                ms.reprep();
                if let Some(e) = ms.do_match(s1, 0)? {
                    return if find {
                        ffi::lua_pushinteger(l, (s1 + 1) as ffi::lua_Integer);
                        ffi::lua_pushinteger(l, e as ffi::lua_Integer);
                        Ok(2 + ms.push_captures(0, 0, false)?)
                    } else {
                        ms.push_captures(s1, e, true)
                    };
                }
                s1 += 1;
                if s1 > s.len() || anchor {
                    break;
                }
            }
            ffi::lua_pushnil(l);
            Ok(1)
        })
    }
}

unsafe extern "C-unwind" fn str_find(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua.
    unsafe { find_aux(l, true) }
}

unsafe extern "C-unwind" fn str_match(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua.
    unsafe { find_aux(l, false) }
}

/// The iterator `gmatch` returns: upvalues subject, pattern, position.
unsafe extern "C-unwind" fn gmatch_aux(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as the closure made by `str_gmatch`.
    unsafe {
        let mut len = 0usize;
        let sp = ffi::lua_tolstring(l, ffi::lua_upvalueindex(1), &mut len);
        let s = std::slice::from_raw_parts(sp.cast::<u8>(), len);
        let pp = ffi::lua_tolstring(l, ffi::lua_upvalueindex(2), &mut len);
        let p = std::slice::from_raw_parts(pp.cast::<u8>(), len);
        let start =
            ffi::lua_tointegerx(l, ffi::lua_upvalueindex(3), std::ptr::null_mut()).max(0) as usize;
        run(l, || {
            let mut ms = MatchState::new(l, s, p);
            let mut src = start;
            while src <= s.len() {
                ms.reprep();
                if let Some(e) = ms.do_match(src, 0)? {
                    let next = if e == src { e + 1 } else { e };
                    ffi::lua_pushinteger(l, next as ffi::lua_Integer);
                    ffi::lua_replace(l, ffi::lua_upvalueindex(3));
                    return ms.push_captures(src, e, true);
                }
                src += 1;
            }
            Ok(0)
        })
    }
}

unsafe extern "C-unwind" fn str_gmatch(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua.
    unsafe {
        string_arg(l, 1);
        string_arg(l, 2);
        ffi::lua_settop(l, 2);
        ffi::lua_pushinteger(l, 0);
        ffi::lua_pushcclosure(l, c_function(gmatch_aux), 3);
    }
    nresults(1)
}

/// Append the replacement of the match `s..e` to `b` (Lua's `add_value`).
///
/// # Safety
/// `b` is the live buffer of the running `gsub`; the stack is as
/// `str_gsub` left it.
unsafe fn add_value(
    ms: &MatchState,
    b: *mut ffi::luaL_Buffer,
    s: usize,
    e: usize,
    tr: c_int,
) -> Step<()> {
    let l = ms.l;
    // SAFETY: per the caller.
    unsafe {
        match tr {
            ffi::LUA_TFUNCTION => {
                ffi::lua_pushvalue(l, 3);
                let n = ms.push_captures(s, e, true)?;
                ffi::lua_call(l, n, 1);
            }
            ffi::LUA_TTABLE => {
                ms.push_capture(0, s, e)?;
                ffi::lua_gettable(l, 3);
            }
            _ => return add_string(ms, b, s, e),
        }
        if ffi::lua_toboolean(l, -1) == 0 {
            ffi::lua_pop(l, 1);
            ffi::lua_pushlstring(l, ms.src[s..].as_ptr().cast(), e - s);
        } else if ffi::lua_isstring(l, -1) == 0 {
            return Err(match ffi::lua_type(l, -1) {
                ffi::LUA_TTABLE => Error::Text("invalid replacement value (a table)"),
                ffi::LUA_TBOOLEAN => Error::Text("invalid replacement value (a boolean)"),
                ffi::LUA_TFUNCTION => Error::Text("invalid replacement value (a function)"),
                ffi::LUA_TTHREAD => Error::Text("invalid replacement value (a thread)"),
                _ => Error::Text("invalid replacement value (a userdata)"),
            });
        }
        ffi::luaL_addvalue(b);
    }
    Ok(())
}

/// A replacement string with `%0`-`%9` and `%%` (Lua's `add_s`).
///
/// # Safety
/// As [`add_value`].
unsafe fn add_string(ms: &MatchState, b: *mut ffi::luaL_Buffer, s: usize, e: usize) -> Step<()> {
    // SAFETY: per the caller; argument 3 is a string or number (checked by
    // `str_gsub`), converted in place.
    unsafe {
        let mut len = 0usize;
        let np = ffi::lua_tolstring(ms.l, 3, &mut len);
        let news = std::slice::from_raw_parts(np.cast::<u8>(), len);
        let mut i = 0;
        while i < news.len() {
            if news[i] != L_ESC {
                ffi::luaL_addlstring(b, news[i..].as_ptr().cast(), 1);
                i += 1;
                continue;
            }
            i += 1;
            let c = news.get(i).copied().unwrap_or(0);
            if !c.is_ascii_digit() {
                if c != L_ESC {
                    return Err(Error::Text("invalid use of '%' in replacement string"));
                }
                ffi::luaL_addlstring(b, news[i..].as_ptr().cast(), 1);
            } else if c == b'0' {
                ffi::luaL_addlstring(b, ms.src[s..].as_ptr().cast(), e - s);
            } else {
                ms.push_capture((c - b'1') as usize, s, e)?;
                ffi::luaL_addvalue(b);
            }
            i += 1;
        }
    }
    Ok(())
}

unsafe extern "C-unwind" fn str_gsub(l: *mut lua_State) -> NResults {
    // SAFETY: called by Lua as a C function; the buffer stays in this frame
    // (it must not move once initialised).
    unsafe {
        let src = string_arg(l, 1);
        let p = string_arg(l, 2);
        let tr = ffi::lua_type(l, 3);
        let max_s = ffi::luaL_optinteger(l, 4, (src.len() + 1) as ffi::lua_Integer);
        if !matches!(
            tr,
            ffi::LUA_TNUMBER | ffi::LUA_TSTRING | ffi::LUA_TFUNCTION | ffi::LUA_TTABLE
        ) {
            ffi::luaL_argerror(l, 3, c"string/function/table expected".as_ptr());
        }
        let mut buffer = std::mem::MaybeUninit::<ffi::luaL_Buffer>::uninit();
        let b = buffer.as_mut_ptr();
        ffi::luaL_buffinit(l, b);
        run(l, || {
            let (anchor, p) = match p.first() {
                Some(b'^') => (true, &p[1..]),
                _ => (false, p),
            };
            let mut ms = MatchState::new(l, src, p);
            let mut at = 0usize;
            let mut n: ffi::lua_Integer = 0;
            while n < max_s {
                ms.reprep();
                let e = ms.do_match(at, 0)?;
                if let Some(e) = e {
                    n += 1;
                    add_value(&ms, b, at, e, tr)?;
                }
                match e {
                    Some(e) if e > at => at = e,
                    _ if at < src.len() => {
                        ffi::luaL_addlstring(b, src[at..].as_ptr().cast(), 1);
                        at += 1;
                    }
                    _ => break,
                }
                if anchor {
                    break;
                }
            }
            ffi::luaL_addlstring(b, src[at..].as_ptr().cast(), src.len() - at);
            ffi::luaL_pushresult(b);
            ffi::lua_pushinteger(l, n);
            Ok(2)
        })
    }
}

/// Replace `string.find`, `string.match`, `string.gmatch` and
/// `string.gsub` in `lua` with the interruptible versions.
pub fn install(lua: &Lua) -> mlua::Result<()> {
    const FUNCTIONS: [(&std::ffi::CStr, Native); 4] = [
        (c"find", str_find),
        (c"match", str_match),
        (c"gmatch", str_gmatch),
        (c"gsub", str_gsub),
    ];
    // SAFETY: balanced stack use inside mlua's protected call.
    unsafe {
        lua.exec_raw::<()>((), |l| {
            ffi::lua_getglobal(l, c"string".as_ptr());
            if ffi::lua_type(l, -1) == ffi::LUA_TTABLE {
                for (name, f) in FUNCTIONS {
                    ffi::lua_pushcclosure(l, c_function(f), 0);
                    ffi::lua_setfield(l, -2, name.as_ptr());
                }
            }
            ffi::lua_pop(l, 1);
        })
    }
}

#[cfg(test)]
mod tests {
    use mlua::Lua;

    /// Runs `script` with `orig` (the VM's own four functions, saved
    /// before [`super::install`]) and the replacements in place.
    fn with_both(script: &str) -> String {
        let lua = Lua::new();
        lua.load(
            "orig = { find = string.find, match = string.match, gmatch = string.gmatch, gsub = string.gsub }",
        )
        .exec()
        .unwrap();
        super::install(&lua).unwrap();
        lua.load(script).eval::<String>().unwrap()
    }

    /// The same results (values, or error texts) as the VM's own functions
    /// on Lua 5.2, over hand-picked cases and random ones.
    #[test]
    fn agree_with_lua_5_2() {
        let mismatches = with_both(
            r##"
local function pack(...) return { n = select("#", ...), ... } end
local function show(ok, ...)
  local t = pack(...)
  local out = { tostring(ok) }
  for i = 1, t.n do out[#out + 1] = type(t[i]) .. ":" .. tostring(t[i]) end
  return table.concat(out, "|")
end
local function gm(g, s, p)
  local out = {}
  for a, b in g(s, p) do
    out[#out + 1] = tostring(a) .. "," .. tostring(b)
    if #out > 50 then break end
  end
  return table.concat(out, ";")
end
local bad = {}
local function cmp(name, ...)
  local a = show(pcall(orig[name], ...)):gsub("'orig%.", "'string.")
  local b = show(pcall(string[name], ...))
  if a ~= b then
    local args = {}
    for i = 1, select("#", ...) do args[#args + 1] = ("%q"):format(tostring((select(i, ...)))) end
    bad[#bad + 1] = name .. "(" .. table.concat(args, ", ") .. "): " .. a .. " vs " .. b
  end
end
local function cmp_gmatch(s, p)
  local a = show(pcall(gm, orig.gmatch, s, p))
  local b = show(pcall(gm, string.gmatch, s, p))
  if a ~= b then bad[#bad + 1] = ("gmatch(%q, %q): %s vs %s"):format(s, p, a, b) end
end
local cases = {
  { "hello world", "o w" }, { "hello world", "l+" }, { "hello", "(h)(e)(l)" },
  { "  trim me  ", "^%s*(.-)%s*$" }, { "key=value", "(%w+)=(%w+)" },
  { "THE (quick) fox", "%((%a+)%)" }, { "f(a(b)c)d", "%b()" }, { "THE quick", "%f[%a]%a+" },
  { "abc", "()b()" }, { "aaa", "a-" }, { "aaa", "a-$" }, { "aaab", "a*b" }, { "b", "a?b" },
  { "abab", "(ab)%1" }, { "x", "%" }, { "x", "[a" }, { "x", "(x" }, { "x", "x)" },
  { "x", "%f" }, { "x", "%b" }, { "x", "%1" }, { "x", "(x)%2" }, { "x", "%0" },
  { "a.b", "." , 2 }, { "a.b", ".", 2, true }, { "abc", "c", -1 }, { "abc", "a", 10 },
  { "abc", "", 4 }, { "abc", "", 5 }, { "a\0b", "%z" }, { "a\0b", "\0b" }, { "x]y", "[]]" },
  { "a-b", "[a-]" }, { "a^b", "[%^]" }, { "tab\tnl\nvt\v", "%s+" }, { "\200\255", "%a" },
  { "hello", "[^aeiou]+" }, { "A1_b2", "[%w_]+" }, { "3.14e10", "^[+-]?%d+%.?%d*[eE]?%d*$" },
  { "", "" }, { "", "^$" }, { "abc", "^(a)(b)(c)$" }, { "abc", "[" }, { "abc", "[^" },
}
for _, c in ipairs(cases) do
  cmp("find", table.unpack(c))
  cmp("match", table.unpack(c))
  cmp("gsub", c[1], c[2], "<%0>")
  cmp("gsub", c[1], c[2], "%1")
  cmp_gmatch(c[1], c[2])
end
cmp("gsub", "hello world", "o", { o = "0" })
cmp("gsub", "hello world", "%w+", function(w) return w:upper() end)
cmp("gsub", "hello world", "%w+", function(w) return nil end)
cmp("gsub", "hello world", "%w+", function(w) return {} end)
cmp("gsub", "hello", "l", "%2")
cmp("gsub", "hello", "l", "%")
cmp("gsub", "hello", "l", "%%")
cmp("gsub", "hello", "l", 7)
cmp("gsub", "hello", "l", true)
cmp("gsub", "hello", "", "-")
cmp("gsub", "hello", "l", "L", 1)
cmp("gsub", "abc", "^a", "X")
cmp("gsub", "abc", "%w*", "-")
cmp("find")
cmp("find", "x")
cmp("match", {}, "x")
cmp("find", 123, 2)
cmp("find", "abc", "b", "2")

-- Random patterns over a small alphabet.
local seed = 12345
local function rnd(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n + 1
end
local atoms = { "a", "b", ".", "%a", "%d", "[ab]", "[^a]", "(", ")", "%1", "*", "+", "-", "?",
  "^", "$", "%b()", "%f[a]", "()", "%", "[", "]", "x", "1", "%s", "[%a-]" }
local letters = { "a", "b", "(", ")", "1", " ", "x", "]", "-" }
for _ = 1, 20000 do
  local s, p = {}, {}
  for i = 1, rnd(8) - 1 do s[i] = letters[rnd(#letters)] end
  for i = 1, rnd(6) do p[i] = atoms[rnd(#atoms)] end
  s, p = table.concat(s), table.concat(p)
  cmp("find", s, p)
  cmp("match", s, p)
  cmp("gsub", s, p, "<%0>")
  cmp_gmatch(s, p)
end
return table.concat(bad, "\n", 1, math.min(#bad, 20))
"##,
        );
        assert!(mismatches.is_empty(), "mismatches:\n{mismatches}");
    }

    /// A backtracking match on a large subject is interrupted by the
    /// watchdog instead of holding the thread (here: no watchdog, so it
    /// only has to finish, and the step counter must not overflow).
    #[test]
    fn long_matches_finish() {
        let n = with_both(
            r#"
local s = (" "):rep(2000) .. "x" .. (" "):rep(2000)
return tostring(#s:match("^%s*(.-)%s*$"))
"#,
        );
        assert_eq!(n, "1");
    }
}
