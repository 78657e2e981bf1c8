//! The `os` functions of the runner (X3, X4) and the output natives.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use craftos_http_core::EventQueue;
use mlua::{Lua, MultiValue, Table, Value, Variadic};

use super::queue::LocalQueue;
use craftos_http_lua::args;
use craftos_http_lua::native::{function, none, one};

/// What the os natives share with the event loop.
pub(crate) struct OsContext {
    pub(crate) local: Rc<RefCell<LocalQueue>>,
    pub(crate) native_queue: Arc<EventQueue>,
    pub(crate) started: Instant,
    pub(crate) id: u32,
    pub(crate) label: Rc<RefCell<Option<String>>>,
}

/// Real milliseconds per in-game day (a Minecraft day is 20 minutes).
const MS_PER_GAME_DAY: u128 = 1_200_000;
/// Where in the in-game day a computer starts: 06:00.
const START_MS: u128 = 300_000;

/// The in-game clock as CraftOS-PC keeps it (X3), from the real time since
/// the computer started: the real milliseconds into the in-game day (06:00
/// at start, 50 s per hour), and the day, which starts at 1 and goes up
/// every 20 minutes since the start (not at in-game midnight).
fn game_clock(ctx: &OsContext) -> (u128, u128) {
    let ms = ctx.started.elapsed().as_millis();
    ((ms + START_MS) % MS_PER_GAME_DAY, ms / MS_PER_GAME_DAY + 1)
}

fn utc_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The clock an `os.time`/`os.day`/`os.epoch` argument names (X3).
enum Clock {
    InGame,
    Utc,
    Local,
}

fn clock_kind(kind: &Value, func: &str) -> Result<Clock, String> {
    let name = match kind {
        Value::Nil => return Ok(Clock::InGame),
        Value::String(s) => s.to_string_lossy().to_lowercase(),
        other => return Err(args::bad_type(1, func, "string", other)),
    };
    match name.as_str() {
        "ingame" => Ok(Clock::InGame),
        "utc" => Ok(Clock::Utc),
        "local" => Ok(Clock::Local),
        _ => Err("Unsupported operation".into()),
    }
}

/// The local time zone's offset from UTC now, in milliseconds.
fn local_offset_millis() -> i64 {
    // SAFETY: localtime_r writes into the tm we own.
    unsafe {
        let now = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&now, &mut tm).is_null() {
            return 0;
        }
        tm.tm_gmtoff * 1000
    }
}

/// Install the `os` functions and the natives `bios.lua` needs; returns the
/// natives table for it.
pub(crate) fn install(lua: &Lua, ctx: Rc<OsContext>) -> mlua::Result<Table> {
    let globals = lua.globals();
    let os: Table = match globals.raw_get::<Value>("os")? {
        Value::Table(t) => t,
        _ => lua.create_table()?,
    };

    let c = ctx.clone();
    os.raw_set(
        "queueEvent",
        function(lua, 0, move |lua, values: Variadic<Value>| {
            match values.first() {
                Some(Value::String(_)) => {}
                other => {
                    return Err(args::bad_type(
                        1,
                        "queueEvent",
                        "string",
                        other.unwrap_or(&Value::Nil),
                    ));
                }
            }
            let ticket = c.native_queue.pushed_total();
            match c.local.borrow_mut().push_script(lua, ticket, values) {
                Ok(()) => none(),
                Err(mlua::Error::MemoryError(_)) => Err("not enough memory".to_owned()),
                Err(err) => Err(err.to_string()),
            }
        })?,
    )?;
    let c = ctx.clone();
    os.raw_set(
        "startTimer",
        function(lua, 1, move |_, secs: Value| {
            let secs = match secs {
                Value::Integer(i) => i as f64,
                Value::Number(n) => n,
                other => return Err(args::bad_type(1, "startTimer", "number", &other)),
            };
            match c.local.borrow_mut().start_timer(Instant::now(), secs) {
                Some(id) => one(Value::Integer(id as i64)),
                None => Err("Too many timers".to_owned()),
            }
        })?,
    )?;
    let c = ctx.clone();
    os.raw_set(
        "cancelTimer",
        function(lua, 0, move |_, id: Value| {
            let id = args::integer(&id, 1, "cancelTimer")?;
            if id > 0 {
                c.local.borrow_mut().cancel_timer(id as u64);
            }
            none()
        })?,
    )?;
    let c = ctx.clone();
    os.raw_set(
        "clock",
        function(lua, 1, move |_, ()| {
            one(Value::Number(c.started.elapsed().as_secs_f64()))
        })?,
    )?;
    let c = ctx.clone();
    os.raw_set(
        "epoch",
        function(lua, 1, move |_, kind: Value| {
            let ms = match clock_kind(&kind, "epoch")? {
                Clock::InGame => {
                    // In-game milliseconds: 72 per real one.
                    let (in_day, day) = game_clock(&c);
                    (day * 86_400_000 + in_day * 72) as f64
                }
                Clock::Utc => utc_millis() as f64,
                Clock::Local => (utc_millis() + local_offset_millis()) as f64,
            };
            one(Value::Number(ms))
        })?,
    )?;
    let c = ctx.clone();
    let lua_time: mlua::Function = os.raw_get("time")?;
    os.raw_set(
        "time",
        function(lua, 1, move |_, kind: Value| {
            if let Value::Table(_) = kind {
                // A date table: seconds since the epoch, as Lua's os.time.
                let secs: Value = lua_time.call(kind).map_err(|e| e.to_string())?;
                return one(secs);
            }
            let hours = match clock_kind(&kind, "time")? {
                // Hours in thousandths (50 real ms each), as CraftOS-PC has them.
                Clock::InGame => (game_clock(&c).0 / 50) as f64 / 1000.0,
                Clock::Utc => (utc_millis().rem_euclid(86_400_000)) as f64 / 3_600_000.0,
                Clock::Local => {
                    ((utc_millis() + local_offset_millis()).rem_euclid(86_400_000)) as f64
                        / 3_600_000.0
                }
            };
            one(Value::Number(hours))
        })?,
    )?;
    let c = ctx.clone();
    os.raw_set(
        "day",
        function(lua, 1, move |_, kind: Value| {
            let day = match clock_kind(&kind, "day")? {
                Clock::InGame => game_clock(&c).1 as i64,
                Clock::Utc => utc_millis().div_euclid(86_400_000),
                Clock::Local => (utc_millis() + local_offset_millis()).div_euclid(86_400_000),
            };
            one(Value::Integer(day))
        })?,
    )?;
    let c = ctx.clone();
    os.raw_set(
        "getComputerID",
        function(lua, 1, move |_, ()| one(Value::Integer(c.id.into())))?,
    )?;
    os.raw_set("computerID", os.raw_get::<Value>("getComputerID")?)?;
    let c = ctx.clone();
    os.raw_set(
        "getComputerLabel",
        function(lua, 1, move |lua, ()| match &*c.label.borrow() {
            Some(l) => one(Value::String(
                lua.create_string(l).map_err(|e| e.to_string())?,
            )),
            None => none(),
        })?,
    )?;
    os.raw_set("computerLabel", os.raw_get::<Value>("getComputerLabel")?)?;
    let c = ctx.clone();
    os.raw_set(
        "setComputerLabel",
        function(lua, 0, move |_, label: Value| {
            *c.label.borrow_mut() = match &label {
                Value::Nil => None,
                Value::String(s) => Some(s.to_string_lossy()),
                other => return Err(args::bad_type(1, "setComputerLabel", "string", other)),
            };
            none()
        })?,
    )?;
    os.raw_set(
        "version",
        function(lua, 1, |lua, ()| {
            one(Value::String(
                lua.create_string("CraftOS 1.9")
                    .map_err(|e| e.to_string())?,
            ))
        })?,
    )?;
    let c = ctx.clone();
    let shutdown = lua.create_function(move |_, ()| {
        c.local.borrow_mut().shutdown = true;
        Ok(())
    })?;
    globals.raw_set("os", os.clone())?;
    globals.raw_set(
        "_HOST",
        format!(
            "ComputerCraft 1.109.2 (craftos-http {})",
            env!("CARGO_PKG_VERSION")
        ),
    )?;

    let natives = lua.create_table()?;
    natives.raw_set("shutdown", shutdown)?;
    let c = ctx.clone();
    natives.raw_set(
        "stdinTake",
        lua.create_function(move |lua, ()| {
            let mut local = c.local.borrow_mut();
            local.stdin_wanted = true;
            match local.stdin_lines.pop_front() {
                Some(line) => Ok(Value::String(lua.create_string(line)?)),
                None => Ok(Value::Nil),
            }
        })?,
    )?;
    natives.raw_set(
        "stdout",
        // Through the screen, so `print` and `term` output stay in order
        // and move the same cursor; a closed stdout is ignored.
        lua.create_function(|lua, s: mlua::LuaString| {
            craftos_http_env::term::write_stdout(lua, &s.as_bytes());
            Ok(())
        })?,
    )?;
    natives.raw_set(
        "flushStdout",
        // A plain stdout is line-buffered: `read()` shows a prompt written
        // without a newline before it waits.
        lua.create_function(|_, ()| {
            let _ = std::io::stdout().lock().flush();
            Ok(())
        })?,
    )?;
    natives.raw_set(
        "stderr",
        lua.create_function(|_, s: mlua::LuaString| {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(&s.as_bytes());
            let _ = err.flush();
            Ok(())
        })?,
    )?;
    Ok(natives)
}

/// The Lua values of a runner event, for resuming the main coroutine.
pub(crate) fn values(v: Vec<Value>) -> MultiValue {
    MultiValue::from_iter(v)
}
