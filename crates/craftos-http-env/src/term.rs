//! `term`, `colors`/`colours` and `window` (SEMANTICS X9).
//!
//! `term.native()` is one screen per computer (`term/screen.rs` says how it is
//! shown: plain text lines when stdout is not a terminal, ANSI drawing when
//! it is). The runner's `write`/`print`/`io.write` output goes through the
//! same screen ([`write_stdout`]), so it never interleaves out of order
//! with `term` output and the cursor follows it.
//!
//! The native terminal has CraftOS-PC's methods and values: `write`,
//! `blit`, `clear`, `clearLine`, `getCursorPos`/`setCursorPos`,
//! `getCursorBlink`/`setCursorBlink`, `getSize` (51x19, or the terminal's
//! size; `getSize(true)` in pixels, 6x9 per character), `scroll`,
//! `isColour`/`isColor` (true), `set`/`getTextColour`,
//! `set`/`getBackgroundColour`, `set`/`getPaletteColour` (both spellings
//! of each), and `term.nativePaletteColour`. Colours are read as CraftOS-PC
//! reads them: the lowest set bit (0 and negative numbers are white); above
//! 15 is `bad argument #1 (invalid color N)`. Palette entries hold 8 bits
//! per channel. Argument type errors are `bad argument #N to 'NAME' (T
//! expected, got U)` at the caller's position (G3). CraftOS-PC's graphics
//! mode (`setGraphicsMode`, `setPixel`, ...) is not offered.
//!
//! In Lua (`term/*.lua`): `term.redirect`/`current`/`native` and the
//! forwarding of every method to the redirect target, as CC's `term` API;
//! `colors`/`colours`; `window.create` with CC's window methods. When the
//! script has redirected `term` away from the native terminal, the global
//! `write` and `print` draw through `term` (word-wrapped, as CC's do);
//! otherwise they are the runner's.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use mlua::{Lua, MultiValue, Table, Value};

use super::compat::{Raiser, Returns, arg, check_bytes};
use craftos_http_lua::args;

mod screen;
mod tty;

use screen::{DEFAULT_PALETTE, Screen};

const TERM_LUA: &str = include_str!("term/term.lua");
const COLORS_LUA: &str = include_str!("term/colors.lua");
const WINDOW_LUA: &str = include_str!("term/window.lua");

/// The computer's screen, kept in the Lua state's app data.
#[derive(Clone)]
struct SharedScreen(Rc<RefCell<Screen>>);

/// The screen of `lua`, made (for stdout) on first use.
fn shared(lua: &Lua) -> SharedScreen {
    if let Some(s) = lua.app_data_ref::<SharedScreen>() {
        return s.clone();
    }
    let sink: Box<dyn Write> = Box::new(std::io::stdout());
    let screen = if tty::stdout_is_terminal() {
        Screen::ansi(sink, tty::colour_depth(), Some(tty::stdout_size))
    } else {
        Screen::plain(sink)
    };
    let s = SharedScreen(Rc::new(RefCell::new(screen)));
    lua.set_app_data(s.clone());
    s
}

/// Install the globals `term`, `colors`, `colours` and `window` (and
/// `bit32` if the VM lacks it: `colors` needs it).
pub fn install(lua: &Lua) -> mlua::Result<()> {
    let screen = shared(lua);
    super::compat::ensure_bit32(lua)?;
    let native = native_term(lua, &screen)?;
    craftos_http_lua::compiled::load(lua, "=colors", COLORS_LUA)?.call::<()>(())?;
    craftos_http_lua::compiled::load(lua, "=term", TERM_LUA)?.call::<()>(native)?;
    craftos_http_lua::compiled::load(lua, "=window", WINDOW_LUA)?.call::<()>(())
}

/// Write what the computer prints (`write`, `print`, `io.write`) to stdout,
/// through the computer's screen: in order with `term` output, moving the
/// cursor, in the current colours on a terminal. The runner's stdout native
/// calls this. A closed stdout is ignored.
pub fn write_stdout(lua: &Lua, bytes: &[u8]) {
    let screen = shared(lua);
    match screen.0.try_borrow_mut() {
        Ok(mut s) => s.print(bytes),
        Err(_) => {
            let _ = std::io::stdout().lock().write_all(bytes);
        }
    }
}

/// Whether stdout is shown as a terminal (ANSI) rather than plain text.
pub fn stdout_is_ansi(lua: &Lua) -> bool {
    shared(lua).0.borrow().is_ansi()
}

type Method = fn(&Lua, &mut Screen, &MultiValue, &str) -> Returns;

/// The table `term.native()` returns.
fn native_term(lua: &Lua, screen: &SharedScreen) -> mlua::Result<Table> {
    let raiser = Raiser::new(lua)?;
    let t = lua.create_table()?;
    let methods: &[(&[&'static str], Method)] = &[
        (&["write"], m_write),
        (&["blit"], m_blit),
        (&["clear"], |_, s, _, _| {
            s.clear();
            none()
        }),
        (&["clearLine"], |_, s, _, _| {
            s.clear_line();
            none()
        }),
        (&["getCursorPos"], |_, s, _, _| {
            let (x, y) = s.cursor();
            vals([Value::Integer(x), Value::Integer(y)])
        }),
        (&["setCursorPos"], |_, s, a, name| {
            let x = coord(arg(a, 1), 1, name)?;
            let y = coord(arg(a, 2), 2, name)?;
            s.set_cursor(x, y);
            none()
        }),
        (&["getCursorBlink"], |_, s, _, _| {
            vals([Value::Boolean(s.blink())])
        }),
        (&["setCursorBlink"], |_, s, a, name| match arg(a, 1) {
            Value::Boolean(b) => {
                s.set_blink(*b);
                none()
            }
            v => Err(args::bad_type(1, name, "boolean", v)),
        }),
        (&["getSize"], m_get_size),
        (&["scroll"], |_, s, a, name| {
            s.scroll(args::integer(arg(a, 1), 1, name)?);
            none()
        }),
        (&["isColour", "isColor"], |_, _, _, _| {
            vals([Value::Boolean(true)])
        }),
        (&["setTextColour", "setTextColor"], |_, s, a, name| {
            s.set_fg(colour(arg(a, 1), name)?);
            none()
        }),
        (
            &["setBackgroundColour", "setBackgroundColor"],
            |_, s, a, name| {
                s.set_bg(colour(arg(a, 1), name)?);
                none()
            },
        ),
        (&["getTextColour", "getTextColor"], |_, s, _, _| {
            vals([Value::Integer(1 << s.colours().0)])
        }),
        (
            &["getBackgroundColour", "getBackgroundColor"],
            |_, s, _, _| vals([Value::Integer(1 << s.colours().1)]),
        ),
        (&["getPaletteColour", "getPaletteColor"], |_, s, a, name| {
            rgb_values(s.palette(colour(arg(a, 1), name)?))
        }),
        (&["setPaletteColour", "setPaletteColor"], m_set_palette),
        (
            &["nativePaletteColour", "nativePaletteColor"],
            |_, _, a, name| rgb_values(DEFAULT_PALETTE[usize::from(colour(arg(a, 1), name)?)]),
        ),
    ];
    for (names, f) in methods {
        for &name in *names {
            let screen = screen.clone();
            let f = *f;
            let func = raiser.function(lua, move |lua, args| {
                let mut s = screen
                    .0
                    .try_borrow_mut()
                    .map_err(|_| "internal error: terminal in use".to_string())?;
                f(lua, &mut s, &args, name)
            })?;
            t.raw_set(name, func)?;
        }
    }
    Ok(t)
}

fn none() -> Returns {
    Ok(MultiValue::new())
}

fn vals<const N: usize>(v: [Value; N]) -> Returns {
    Ok(MultiValue::from_iter(v))
}

fn rgb_values(rgb: u32) -> Returns {
    let c = |shift: u32| Value::Number(f64::from((rgb >> shift) & 0xFF) / 255.0);
    vals([c(16), c(8), c(0)])
}

fn m_write(lua: &Lua, s: &mut Screen, a: &MultiValue, name: &str) -> Returns {
    let text = check_bytes(lua, arg(a, 1), 1, name)?;
    s.write(&text.as_bytes());
    none()
}

fn m_blit(lua: &Lua, s: &mut Screen, a: &MultiValue, name: &str) -> Returns {
    let text = check_bytes(lua, arg(a, 1), 1, name)?;
    let fg = check_bytes(lua, arg(a, 2), 2, name)?;
    let bg = check_bytes(lua, arg(a, 3), 3, name)?;
    let (text, fg, bg) = (text.as_bytes(), fg.as_bytes(), bg.as_bytes());
    if text.len() != fg.len() || fg.len() != bg.len() {
        return Err("Arguments must be the same length".into());
    }
    s.blit(&text, &fg, &bg);
    none()
}

fn m_get_size(_: &Lua, s: &mut Screen, a: &MultiValue, name: &str) -> Returns {
    let pixels = match arg(a, 1) {
        Value::Nil => false,
        Value::Boolean(b) => *b,
        v @ (Value::Integer(_) | Value::Number(_) | Value::String(_)) => {
            number(v, 1, name, "boolean or number")? > 0.0
        }
        v => return Err(args::bad_type(1, name, "boolean or number", v)),
    };
    let (w, h) = s.size();
    if pixels {
        vals([Value::Integer(w * 6), Value::Integer(h * 9)])
    } else {
        vals([Value::Integer(w), Value::Integer(h)])
    }
}

fn m_set_palette(_: &Lua, s: &mut Screen, a: &MultiValue, name: &str) -> Returns {
    let c = colour(arg(a, 1), name)?;
    let rgb = if matches!(arg(a, 3), Value::Nil) {
        args::integer(arg(a, 2), 2, name)? as u32 & 0xFF_FFFF
    } else {
        let channel = |n: usize| -> Result<u32, String> {
            let x = number(arg(a, n), n as u32, name, "number")? * 255.0;
            Ok(if x.is_nan() {
                0
            } else {
                x.clamp(0.0, 255.0) as u32
            })
        };
        (channel(2)? << 16) | (channel(3)? << 8) | channel(4)?
    };
    s.set_palette(c, rgb);
    none()
}

/// A number argument (numeric strings too).
fn number(v: &Value, n: u32, func: &str, expected: &str) -> Result<f64, String> {
    match v {
        Value::Integer(i) => Ok(*i as f64),
        Value::Number(x) => Ok(*x),
        Value::String(s) => s
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .ok_or_else(|| args::bad_type(n, func, expected, v)),
        _ => Err(args::bad_type(n, func, expected, v)),
    }
}

/// A cursor coordinate (an integer, kept within C `int` as CraftOS-PC's).
fn coord(v: &Value, n: u32, func: &str) -> Result<i64, String> {
    Ok(args::integer(v, n, func)?.clamp(i32::MIN.into(), i32::MAX.into()))
}

/// A colour argument as CraftOS-PC reads it: its lowest set bit is the
/// colour index (0 and negative numbers: white); above 15 is an error.
fn colour(v: &Value, func: &str) -> Result<u8, String> {
    let n = args::integer(v, 1, func)? as i32;
    let index = if n <= 0 { 0 } else { n.trailing_zeros() };
    if index > 15 {
        return Err(args::bad_value(1, &format!("invalid color {index}")));
    }
    Ok(index as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    /// A Lua state whose screen writes to a buffer.
    fn lua_with(screen: Screen) -> Lua {
        let lua = Lua::new();
        lua.set_app_data(SharedScreen(Rc::new(RefCell::new(screen))));
        super::super::compat::install(&lua).unwrap();
        install(&lua).unwrap();
        lua
    }

    #[derive(Clone, Default)]
    struct Sink(Rc<RefCell<Vec<u8>>>);

    impl io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn plain() -> (Lua, Sink) {
        let sink = Sink::default();
        let lua = lua_with(Screen::plain(Box::new(sink.clone())));
        (lua, sink)
    }

    fn run(lua: &Lua, code: &str) -> String {
        lua.load(code)
            .set_name("=t")
            .eval::<Option<String>>()
            .unwrap()
            .unwrap_or_default()
    }

    #[test]
    fn values() {
        let (lua, _) = plain();
        assert_eq!(
            run(&lua, "return table.concat({term.getSize()}, 'x')"),
            "51x19"
        );
        assert_eq!(
            run(&lua, "return table.concat({term.getSize(true)}, 'x')"),
            "306x171"
        );
        assert_eq!(
            run(
                &lua,
                "term.setCursorPos(3.7, '4') return table.concat({term.getCursorPos()}, ',')"
            ),
            "3,4"
        );
        assert_eq!(
            run(
                &lua,
                "term.setTextColour(colors.red) return tostring(term.getTextColor())"
            ),
            "16384"
        );
        assert_eq!(
            run(
                &lua,
                "term.setTextColour(6) return tostring(term.getTextColour())"
            ),
            "2"
        );
        assert_eq!(
            run(
                &lua,
                "term.setBackgroundColor(0) return tostring(term.getBackgroundColour())"
            ),
            "1"
        );
        assert_eq!(
            run(
                &lua,
                "local r, g, b = term.getPaletteColour(colors.red) \
                 return tostring(r == 204 / 255 and g == 76 / 255 and b == 76 / 255)"
            ),
            "true"
        );
    }

    #[test]
    fn errors() {
        let (lua, _) = plain();
        let err = |code: &str| -> String {
            run(
                &lua,
                &format!("local ok, e = pcall(function() {code} end) return e"),
            )
        };
        assert_eq!(
            err("term.setCursorPos('a', 1)"),
            "t:1: bad argument #1 to 'setCursorPos' (number expected, got string)"
        );
        assert_eq!(
            err("term.write()"),
            "t:1: bad argument #1 to 'write' (string expected, got nil)"
        );
        assert_eq!(
            err("term.blit('ab', 'a', 'bb')"),
            "t:1: Arguments must be the same length"
        );
        assert_eq!(
            err("term.setTextColor(65536)"),
            "t:1: bad argument #1 (invalid color 16)"
        );
        assert_eq!(
            err("term.setCursorBlink(1)"),
            "t:1: bad argument #1 to 'setCursorBlink' (boolean expected, got number)"
        );
        assert_eq!(
            err("term.getSize({})"),
            "t:1: bad argument #1 to 'getSize' (boolean or number expected, got table)"
        );
    }

    #[test]
    fn stdout_goes_through_the_screen() {
        let (lua, sink) = plain();
        write_stdout(&lua, b"abc");
        run(
            &lua,
            "term.write('def') term.setCursorPos(1, 5) term.write('x')",
        );
        write_stdout(&lua, b"\n");
        assert_eq!(String::from_utf8_lossy(&sink.0.borrow()), "abcdef\nx\n");
        assert_eq!(
            run(&lua, "return table.concat({term.getCursorPos()}, ',')"),
            "1,6"
        );
    }
}
