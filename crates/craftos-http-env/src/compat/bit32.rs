//! `bit32` for VMs that lack it (Lua 5.1, 5.3, 5.4, LuaJIT), with Lua
//! 5.2's semantics: arguments are taken modulo 2^32 (non-integral values
//! rounded to nearest, ties to even, as 5.2 does on x86), results are
//! unsigned 32-bit numbers. On Lua 5.2 the VM's own library is used.

use mlua::{Lua, MultiValue, Value};

use super::{Raiser, Returns, arg, arg_error};
use craftos_http_lua::args;

/// Set the global `bit32` table.
pub(super) fn install(lua: &Lua) -> mlua::Result<()> {
    let raiser = Raiser::new(lua)?;
    let t = lua.create_table()?;
    t.raw_set(
        "band",
        raiser.function(lua, |_, a| fold(&a, "band", u32::MAX, |x, y| x & y))?,
    )?;
    t.raw_set(
        "bor",
        raiser.function(lua, |_, a| fold(&a, "bor", 0, |x, y| x | y))?,
    )?;
    t.raw_set(
        "bxor",
        raiser.function(lua, |_, a| fold(&a, "bxor", 0, |x, y| x ^ y))?,
    )?;
    t.raw_set(
        "btest",
        raiser.function(lua, |_, a| {
            let mut r = u32::MAX;
            for x in all(&a, "btest") {
                r &= x?;
            }
            Ok(MultiValue::from_iter([Value::Boolean(r != 0)]))
        })?,
    )?;
    t.raw_set(
        "bnot",
        raiser.function(lua, |_, a| ret(!unsigned(arg(&a, 1), 1, "bnot")?))?,
    )?;
    t.raw_set(
        "lshift",
        raiser.function(lua, |_, a| {
            let (x, d) = (unsigned(arg(&a, 1), 1, "lshift")?, int(&a, 2, "lshift")?);
            ret(shift(x, d))
        })?,
    )?;
    t.raw_set(
        "rshift",
        raiser.function(lua, |_, a| {
            let (x, d) = (unsigned(arg(&a, 1), 1, "rshift")?, int(&a, 2, "rshift")?);
            ret(shift(x, d.saturating_neg()))
        })?,
    )?;
    t.raw_set(
        "arshift",
        raiser.function(lua, |_, a| {
            let (x, d) = (unsigned(arg(&a, 1), 1, "arshift")?, int(&a, 2, "arshift")?);
            ret(if d < 0 || x & 0x8000_0000 == 0 {
                shift(x, d.saturating_neg())
            } else if d >= 32 {
                u32::MAX
            } else {
                (x >> d) | !(u32::MAX >> d)
            })
        })?,
    )?;
    t.raw_set(
        "lrotate",
        raiser.function(lua, |_, a| {
            let (x, d) = (unsigned(arg(&a, 1), 1, "lrotate")?, int(&a, 2, "lrotate")?);
            ret(x.rotate_left((d & 31) as u32))
        })?,
    )?;
    t.raw_set(
        "rrotate",
        raiser.function(lua, |_, a| {
            let (x, d) = (unsigned(arg(&a, 1), 1, "rrotate")?, int(&a, 2, "rrotate")?);
            ret(x.rotate_left((d.wrapping_neg() & 31) as u32))
        })?,
    )?;
    t.raw_set(
        "extract",
        raiser.function(lua, |_, a| {
            let x = unsigned(arg(&a, 1), 1, "extract")?;
            let (f, w) = field(&a, 2, "extract")?;
            ret((x >> f) & mask(w))
        })?,
    )?;
    t.raw_set(
        "replace",
        raiser.function(lua, |_, a| {
            let x = unsigned(arg(&a, 1), 1, "replace")?;
            let v = unsigned(arg(&a, 2), 2, "replace")?;
            let (f, w) = field(&a, 3, "replace")?;
            let m = mask(w);
            ret((x & !(m << f)) | ((v & m) << f))
        })?,
    )?;
    lua.globals().raw_set("bit32", t)
}

fn ret(x: u32) -> Returns {
    Ok(MultiValue::from_iter([Value::Number(f64::from(x))]))
}

/// A number argument modulo 2^32.
fn unsigned(v: &Value, n: u32, func: &str) -> Result<u32, String> {
    let x = match v {
        Value::Integer(i) => return Ok(*i as u32),
        Value::Number(x) => *x,
        Value::String(_) => args::integer(v, n, func)? as f64,
        _ => return Err(args::bad_type(n, func, "number", v)),
    };
    if !x.is_finite() {
        return Ok(0);
    }
    let r = x.round_ties_even().rem_euclid(4_294_967_296.0);
    Ok(r as u32)
}

fn int(a: &MultiValue, n: usize, func: &str) -> Result<i64, String> {
    args::integer(arg(a, n), n as u32, func)
}

fn all<'a>(a: &'a MultiValue, func: &'a str) -> impl Iterator<Item = Result<u32, String>> + 'a {
    a.iter()
        .enumerate()
        .map(move |(i, v)| unsigned(v, (i + 1) as u32, func))
}

fn fold(a: &MultiValue, func: &str, start: u32, op: fn(u32, u32) -> u32) -> Returns {
    let mut r = start;
    for x in all(a, func) {
        r = op(r, x?);
    }
    ret(r)
}

fn shift(x: u32, d: i64) -> u32 {
    if d <= -32 || d >= 32 {
        0
    } else if d >= 0 {
        x << d
    } else {
        x >> -d
    }
}

fn mask(w: u32) -> u32 {
    if w >= 32 { u32::MAX } else { (1 << w) - 1 }
}

/// The `field [, width]` arguments of `extract` and `replace`.
fn field(a: &MultiValue, n: usize, func: &str) -> Result<(u32, u32), String> {
    let f = int(a, n, func)?;
    let w = match arg(a, n + 1) {
        Value::Nil => 1,
        _ => int(a, n + 1, func)?,
    };
    if f < 0 {
        return Err(arg_error(n as u32, func, "field cannot be negative"));
    }
    if w <= 0 {
        return Err(arg_error(n as u32 + 1, func, "width must be positive"));
    }
    if f + w > 32 {
        return Err("trying to access non-existent bits".into());
    }
    Ok((f as u32, w as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_values_as_lua52() {
        let lua = Lua::new();
        // Compare with the VM's own bit32 (Lua 5.2) where there is one.
        let native: Option<mlua::Table> = lua.globals().get("bit32").unwrap();
        lua.globals().set("native", native.clone()).unwrap();
        install(&lua).unwrap();
        let cases = [
            "band(-1, 0xff)",
            "band()",
            "bor(1, 2, 4)",
            "bxor(-1, 1)",
            "bnot(0)",
            "bnot(-1.5)",
            "band(2.5)",
            "band(3.5)",
            "lshift(1, 31)",
            "lshift(1, 32)",
            "lshift(8, -2)",
            "rshift(-8, 1)",
            "arshift(-8, 1)",
            "arshift(-8, 40)",
            "arshift(8, -1)",
            "lrotate(0x80000001, 1)",
            "rrotate(1, 1)",
            "extract(0xf0, 4, 4)",
            "replace(0, 7, 8, 3)",
        ];
        for case in cases {
            let ours: f64 = lua.load(format!("return bit32.{case}")).eval().unwrap();
            if native.is_some() {
                let theirs: f64 = lua.load(format!("return native.{case}")).eval().unwrap();
                assert_eq!(ours, theirs, "{case}");
            }
        }
        assert!(lua.load("return bit32.btest(6, 3)").eval::<bool>().unwrap());
        let e: String = lua
            .load("return select(2, pcall(bit32.extract, 1, 30, 4))")
            .eval()
            .unwrap();
        assert!(e.ends_with("trying to access non-existent bits"), "{e}");
    }
}
