//! `utf8`: Lua 5.3's library as CraftOS-PC backports it to Lua 5.2 (and
//! CC: Tweaked provides it): `char`, `charpattern`, `codes`, `codepoint`,
//! `len`, `offset`, with the same positions, results and error texts.

use mlua::{Lua, MultiValue, Value};

use super::{Raiser, Returns, arg, arg_error, check_bytes, opt_integer};
use craftos_http_lua::args;

/// The largest code point `utf8.char` accepts.
const MAX_UNICODE: i64 = 0x10FFFF;

/// `utf8.charpattern`: one UTF-8 sequence.
#[cfg(not(any(feature = "lua51", feature = "luajit")))]
const CHAR_PATTERN: &[u8] = b"[\0-\x7F\xC2-\xF4][\x80-\xBF]*";
/// `utf8.charpattern`: one UTF-8 sequence, with `%z` for the NUL byte:
/// Lua 5.1 and LuaJIT patterns end at a NUL (as compat53 spells it).
#[cfg(any(feature = "lua51", feature = "luajit"))]
const CHAR_PATTERN: &[u8] = b"[%z\x01-\x7F\xC2-\xF4][\x80-\xBF]*";

/// Set the global `utf8` table.
pub(super) fn install(lua: &Lua) -> mlua::Result<()> {
    let raiser = Raiser::new(lua)?;
    let utf8 = lua.create_table()?;
    utf8.raw_set("char", raiser.function(lua, utf8_char)?)?;
    utf8.raw_set("codepoint", raiser.function(lua, codepoint)?)?;
    utf8.raw_set("len", raiser.function(lua, len)?)?;
    utf8.raw_set("offset", raiser.function(lua, offset)?)?;
    let iterator = raiser.function(lua, codes_step)?;
    utf8.raw_set(
        "codes",
        raiser.function(lua, move |lua, args| {
            let s = check_bytes(lua, arg(&args, 1), 1, "codes")?;
            Ok(MultiValue::from_iter([
                Value::Function(iterator.clone()),
                Value::String(s),
                Value::Integer(0),
            ]))
        })?,
    )?;
    utf8.raw_set("charpattern", lua.create_string(CHAR_PATTERN)?)?;
    lua.globals().raw_set("utf8", utf8)
}

/// A string position as Lua's string functions take it: negative counts
/// back from the end (-1 is the last byte), too negative is 0.
fn relative(pos: i64, len: usize) -> i64 {
    let len = len as i64;
    if pos >= 0 {
        pos
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        len + pos + 1
    }
}

/// The byte at `i`, or 0 past the end (as the C string's terminator).
fn byte(s: &[u8], i: i64) -> u8 {
    usize::try_from(i)
        .ok()
        .and_then(|i| s.get(i).copied())
        .unwrap_or(0)
}

fn is_continuation(s: &[u8], i: i64) -> bool {
    byte(s, i) & 0xC0 == 0x80
}

/// Decode the sequence starting at `i`: its code point and the index after
/// it, or `None` when it is not valid (overlong forms and values above
/// U+10FFFF included; surrogates are accepted, as Lua 5.3 accepts them).
fn decode(s: &[u8], i: i64) -> Option<(u32, i64)> {
    const LIMITS: [u32; 4] = [0xFF, 0x7F, 0x7FF, 0xFFFF];
    let mut c = u32::from(byte(s, i));
    if c < 0x80 {
        return Some((c, i + 1));
    }
    let mut res: u32 = 0;
    let mut count = 0usize;
    while c & 0x40 != 0 {
        count += 1;
        let cc = u32::from(byte(s, i + count as i64));
        if cc & 0xC0 != 0x80 {
            return None;
        }
        res = (res << 6) | (cc & 0x3F);
        c <<= 1;
        if count > 3 {
            return None;
        }
    }
    res |= (c & 0x7F) << (count * 5);
    if res > MAX_UNICODE as u32 || res <= LIMITS[count] {
        return None;
    }
    Some((res, i + count as i64 + 1))
}

/// UTF-8 for any value up to U+10FFFF, surrogates included (as Lua's `%U`).
fn encode(code: u32, out: &mut Vec<u8>) {
    match code {
        0..=0x7F => out.push(code as u8),
        0x80..=0x7FF => out.extend([0xC0 | (code >> 6) as u8, 0x80 | (code & 0x3F) as u8]),
        0x800..=0xFFFF => out.extend([
            0xE0 | (code >> 12) as u8,
            0x80 | ((code >> 6) & 0x3F) as u8,
            0x80 | (code & 0x3F) as u8,
        ]),
        _ => out.extend([
            0xF0 | (code >> 18) as u8,
            0x80 | ((code >> 12) & 0x3F) as u8,
            0x80 | ((code >> 6) & 0x3F) as u8,
            0x80 | (code & 0x3F) as u8,
        ]),
    }
}

/// `utf8.char(...)`: the characters of the code points, concatenated.
fn utf8_char(lua: &Lua, args: MultiValue) -> Returns {
    let mut out = Vec::with_capacity(args.len());
    for (i, v) in args.iter().enumerate() {
        let n = (i + 1) as u32;
        let code = args::integer(v, n, "char")?;
        if !(0..=MAX_UNICODE).contains(&code) {
            return Err(arg_error(n, "char", "value out of range"));
        }
        encode(code as u32, &mut out);
    }
    let s = lua.create_string(out).map_err(|e| e.to_string())?;
    Ok(MultiValue::from_iter([Value::String(s)]))
}

/// `utf8.codepoint(s [, i [, j]])`: the code points of the characters that
/// start between bytes `i` and `j`.
fn codepoint(lua: &Lua, args: MultiValue) -> Returns {
    let s = check_bytes(lua, arg(&args, 1), 1, "codepoint")?;
    let s = s.as_bytes();
    let len = s.len();
    let posi = relative(opt_integer(arg(&args, 2), 1, 2, "codepoint")?, len);
    let pose = relative(opt_integer(arg(&args, 3), posi, 3, "codepoint")?, len);
    if posi < 1 {
        return Err(arg_error(2, "codepoint", "out of range"));
    }
    if pose > len as i64 {
        return Err(arg_error(3, "codepoint", "out of range"));
    }
    let mut out = MultiValue::new();
    let mut at = posi - 1;
    while at < pose {
        match decode(&s, at) {
            Some((code, next)) => {
                out.push_back(Value::Integer(code.into()));
                at = next;
            }
            None => return Err("invalid UTF-8 code".into()),
        }
    }
    Ok(out)
}

/// `utf8.len(s [, i [, j]])`: how many characters start between bytes `i`
/// and `j`, or `nil` and the position of the first invalid byte.
fn len(lua: &Lua, args: MultiValue) -> Returns {
    let s = check_bytes(lua, arg(&args, 1), 1, "len")?;
    let s = s.as_bytes();
    let len = s.len() as i64;
    let mut posi = relative(opt_integer(arg(&args, 2), 1, 2, "len")?, len as usize);
    let mut posj = relative(opt_integer(arg(&args, 3), -1, 3, "len")?, len as usize);
    if posi < 1 || posi - 1 > len {
        return Err(arg_error(2, "len", "initial position out of string"));
    }
    posi -= 1;
    posj -= 1;
    if posj >= len {
        return Err(arg_error(3, "len", "final position out of string"));
    }
    let mut n: i64 = 0;
    while posi <= posj {
        match decode(&s, posi) {
            Some((_, next)) => posi = next,
            None => {
                return Ok(MultiValue::from_iter([
                    Value::Nil,
                    Value::Integer(posi + 1),
                ]));
            }
        }
        n += 1;
    }
    Ok(MultiValue::from_iter([Value::Integer(n)]))
}

/// `utf8.offset(s, n [, i])`: the byte where the `n`th character counted
/// from byte `i` starts (`n = 0`: the start of the character holding `i`).
fn offset(lua: &Lua, args: MultiValue) -> Returns {
    let s = check_bytes(lua, arg(&args, 1), 1, "offset")?;
    let s = s.as_bytes();
    let len = s.len() as i64;
    let mut n = args::integer(arg(&args, 2), 2, "offset")?;
    let default = if n >= 0 { 1 } else { len + 1 };
    let mut posi = relative(
        opt_integer(arg(&args, 3), default, 3, "offset")?,
        len as usize,
    );
    if posi < 1 || posi - 1 > len {
        return Err(arg_error(3, "offset", "position out of range"));
    }
    posi -= 1;
    if n == 0 {
        while posi > 0 && is_continuation(&s, posi) {
            posi -= 1;
        }
    } else {
        if is_continuation(&s, posi) {
            return Err("initial position is a continuation byte".into());
        }
        if n < 0 {
            while n < 0 && posi > 0 {
                posi -= 1;
                while posi > 0 && is_continuation(&s, posi) {
                    posi -= 1;
                }
                n += 1;
            }
        } else {
            n -= 1;
            while n > 0 && posi < len {
                posi += 1;
                while is_continuation(&s, posi) {
                    posi += 1;
                }
                n -= 1;
            }
        }
    }
    Ok(MultiValue::from_iter([if n == 0 {
        Value::Integer(posi + 1)
    } else {
        Value::Nil
    }]))
}

/// The iterator `utf8.codes` returns: from the character at byte `i`, the
/// position and code point of the next one.
fn codes_step(lua: &Lua, args: MultiValue) -> Returns {
    let s = check_bytes(lua, arg(&args, 1), 1, "for iterator")?;
    let s = s.as_bytes();
    let len = s.len() as i64;
    let control = match arg(&args, 2) {
        Value::Integer(i) => *i,
        Value::Number(x) if x.is_finite() => x.trunc() as i64,
        _ => 0,
    };
    let mut n = control - 1;
    if n < 0 {
        n = 0;
    } else if n < len {
        n += 1;
        while is_continuation(&s, n) {
            n += 1;
        }
    }
    if n >= len {
        return Ok(MultiValue::new());
    }
    match decode(&s, n) {
        Some((code, next)) if !is_continuation(&s, next) => Ok(MultiValue::from_iter([
            Value::Integer(n + 1),
            Value::Integer(code.into()),
        ])),
        _ => Err("invalid UTF-8 code".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lua() -> Lua {
        let lua = Lua::new();
        // On VMs with their own utf8 library, test ours all the same.
        install(&lua).unwrap();
        lua
    }

    fn eval<T: mlua::FromLuaMulti>(lua: &Lua, code: &str) -> T {
        lua.load(code).set_name("=t").eval().unwrap()
    }

    #[test]
    fn decode_rejects_overlong_and_large() {
        assert_eq!(decode(b"\xC0\x80", 0), None);
        assert_eq!(decode(b"\xF4\x90\x80\x80", 0), None);
        assert_eq!(decode(b"\xED\xA0\x80", 0), Some((0xD800, 3)));
        assert_eq!(decode("é".as_bytes(), 0), Some((0xE9, 2)));
        assert_eq!(decode(b"\xE2\x82", 0), None);
    }

    #[test]
    fn library() {
        let lua = lua();
        assert_eq!(
            eval::<String>(&lua, "return utf8.char(72, 233, 8364, 128512)"),
            "Hé€😀"
        );
        assert_eq!(eval::<String>(&lua, "return utf8.char()"), "");
        assert_eq!(eval::<i64>(&lua, "return utf8.len('Hé€😀')"), 4);
        assert_eq!(
            eval::<(Value, i64)>(&lua, "return utf8.len('a\\255b')").1,
            2
        );
        assert_eq!(
            eval::<String>(
                &lua,
                "return table.concat({utf8.codepoint('Hé€', 1, -1)}, ',')"
            ),
            "72,233,8364"
        );
        assert_eq!(eval::<i64>(&lua, "return utf8.offset('Hé€', 3)"), 4);
        assert_eq!(eval::<i64>(&lua, "return utf8.offset('Hé€', -1)"), 4);
        assert_eq!(eval::<i64>(&lua, "return utf8.offset('Hé€', 0, 3)"), 2);
        assert_eq!(
            eval::<Value>(&lua, "return utf8.offset('Hé€', 5)"),
            Value::Nil
        );
        assert_eq!(
            eval::<String>(
                &lua,
                "local t = {} for p, c in utf8.codes('aé€') do t[#t+1] = p .. ':' .. c end \
                 return table.concat(t, ' ')"
            ),
            "1:97 2:233 4:8364"
        );
        assert_eq!(
            eval::<i64>(
                &lua,
                "local n = 0 for _ in ('aé€'):gmatch(utf8.charpattern) do n = n + 1 end return n"
            ),
            3
        );
    }

    #[test]
    fn errors() {
        let lua = lua();
        let err = |code: &str| -> String {
            eval(
                &lua,
                &format!("local ok, e = pcall(function() {code} end) return e"),
            )
        };
        assert_eq!(
            err("utf8.char(0x110000)"),
            "t:1: bad argument #1 to 'char' (value out of range)"
        );
        assert_eq!(
            err("utf8.char('x')"),
            "t:1: bad argument #1 to 'char' (number expected, got string)"
        );
        assert_eq!(err("utf8.codepoint('\\255')"), "t:1: invalid UTF-8 code");
        assert_eq!(
            err("utf8.codepoint('abc', 0)"),
            "t:1: bad argument #2 to 'codepoint' (out of range)"
        );
        assert_eq!(
            err("utf8.len('abc', 5)"),
            "t:1: bad argument #2 to 'len' (initial position out of string)"
        );
        assert_eq!(
            err("utf8.offset('\\195\\169', 1, 2)"),
            "t:1: initial position is a continuation byte"
        );
        assert_eq!(
            err("for _ in utf8.codes('a\\255') do end"),
            "t:1: invalid UTF-8 code"
        );
        assert_eq!(
            err("utf8.len({})"),
            "t:1: bad argument #1 to 'len' (string expected, got table)"
        );
    }
}
