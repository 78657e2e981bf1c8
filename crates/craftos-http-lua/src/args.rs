//! Argument checks with the error texts of SEMANTICS G3, L1, S2-S5.
//!
//! Public for the crates built on the binding (`craftos-http-env`,
//! `craftos-http-runner`), so that every native words a bad argument the
//! same way. The functions return the message; the caller reports it as a
//! [`native`](crate::native) does.

use mlua::{LuaString, Value};

/// The Lua type name of `v`, as `type(v)` gives it.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Nil => "nil",
        Value::Boolean(_) => "boolean",
        Value::Integer(_) | Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Table(_) => "table",
        Value::Function(_) => "function",
        Value::Thread(_) => "thread",
        _ => "userdata",
    }
}

/// `bad argument #N to 'NAME' (T expected, got U)` (G3).
pub fn bad_type(n: u32, func: &str, expected: &str, got: &Value) -> String {
    expected_got(n, func, expected, type_name(got))
}

/// `bad argument #N to 'NAME' (T expected, got U)` with the type name `got`
/// given (`no value` for a missing argument): the one formatter of this
/// message, for the natives on mlua values and the raw ones alike.
pub fn expected_got(n: impl std::fmt::Display, func: &str, expected: &str, got: &str) -> String {
    argument_error(n, func, &format!("{expected} expected, got {got}"))
}

/// `bad argument #N to 'NAME' (WHY)`, the text of `luaL_argerror`.
pub fn argument_error(n: impl std::fmt::Display, func: &str, why: &str) -> String {
    format!("bad argument #{n} to '{func}' ({why})")
}

/// `bad argument #N (WHY)`: the wording of L1, S4 and S5.
pub fn bad_value(n: u32, why: &str) -> String {
    format!("bad argument #{n} ({why})")
}

/// A number argument, accepting numeric strings (G7). Non-integral numbers
/// are truncated toward zero, as Lua 5.2's `luaL_checkinteger` does.
pub fn integer(v: &Value, n: u32, func: &str) -> Result<i64, String> {
    let num = match v {
        Value::Integer(i) => return Ok(*i),
        Value::Number(x) => *x,
        Value::String(s) => match parse_number(s) {
            Some(x) => x,
            None => return Err(bad_type(n, func, "number", v)),
        },
        _ => return Err(bad_type(n, func, "number", v)),
    };
    if num.is_nan() {
        return Err(bad_value(n, "number has no integer representation"));
    }
    Ok(num.trunc().clamp(i64::MIN as f64, i64::MAX as f64) as i64)
}

/// A number's text where a string is expected, as Lua 5.2 (CraftOS-PC's)
/// converts it (S2): `text` is the VM's own conversion, less the `.0` that
/// Lua 5.3 and 5.4 add to an integral float (`10.0` -> `10`). Both format a
/// float with `%.14g`; 5.3 and 5.4 then append `.0` when the result is all
/// digits and `-`, which is what this takes off. Other texts pass through.
pub(crate) fn lua52_number_text(text: &[u8]) -> &[u8] {
    match text.strip_suffix(b".0") {
        Some(int) if !int.is_empty() && int.iter().all(|b| b.is_ascii_digit() || *b == b'-') => int,
        _ => text,
    }
}

/// A port argument: a number 0-65535 (L1).
pub(crate) fn port(v: &Value, n: u32, func: &str) -> Result<u16, String> {
    let p = integer(v, n, func)?;
    u16::try_from(p).map_err(|_| bad_value(n, "port out of range"))
}

/// A Lua numeric string (`"8080"`, `" 0x1F "`, `"1e3"`).
fn parse_number(s: &LuaString) -> Option<f64> {
    let bytes = s.as_bytes();
    let text = std::str::from_utf8(&bytes).ok()?.trim();
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()? as f64
    } else if body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && !body.is_empty()
    {
        body.parse::<f64>().ok()?
    } else {
        return None;
    };
    Some(if neg { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mlua::Lua;

    #[test]
    fn lua52_number_texts() {
        for (vm, lua52) in [
            ("10.0", "10"),
            ("-0.0", "-0"),
            ("1e+15", "1e+15"),
            ("1.5", "1.5"),
            ("10", "10"),
            ("inf", "inf"),
            ("-nan", "-nan"),
            ("9.007199254741e+15", "9.007199254741e+15"),
        ] {
            assert_eq!(lua52_number_text(vm.as_bytes()), lua52.as_bytes(), "{vm}");
        }
    }

    #[test]
    fn ports() {
        let lua = Lua::new();
        let s = |x: &str| Value::String(lua.create_string(x).unwrap());
        assert_eq!(port(&Value::Integer(8080), 1, "f"), Ok(8080));
        assert_eq!(port(&Value::Number(8080.0), 1, "f"), Ok(8080));
        assert_eq!(port(&s("8080"), 1, "f"), Ok(8080));
        assert_eq!(port(&s(" 0x10 "), 1, "f"), Ok(16));
        assert_eq!(
            port(&Value::Integer(65536), 1, "f"),
            Err("bad argument #1 (port out of range)".into())
        );
        assert_eq!(
            port(&Value::Integer(-1), 1, "f"),
            Err("bad argument #1 (port out of range)".into())
        );
        assert_eq!(
            port(&s("abc"), 1, "addListener"),
            Err("bad argument #1 to 'addListener' (number expected, got string)".into())
        );
        assert_eq!(
            port(&Value::Boolean(true), 1, "f"),
            Err("bad argument #1 to 'f' (number expected, got boolean)".into())
        );
    }
}
