//! `string.pack`, `string.packsize` and `string.unpack`: Lua 5.3's binary
//! packing as CraftOS-PC backports it to its Lua 5.2 (64-bit integers,
//! doubles as numbers, native little-endian, maximum alignment 8; an 8-byte
//! unsigned `J` unpacks as a number). Format options, results and error
//! texts are those of that implementation.

use mlua::{Lua, MultiValue, Value};

use super::{Raiser, Returns, arg, arg_error, check_bytes, check_number, opt_integer};
use craftos_http_lua::args;

/// The largest integer size in a format (`i16`).
const MAX_INT_SIZE: i64 = 16;
/// Bytes of a Lua integer (`j`).
const SZINT: usize = 8;
/// The default for `!`: the platform's largest alignment.
const MAX_ALIGN: i64 = 8;

/// Add `string.pack`, `string.packsize` and `string.unpack`.
pub(super) fn install(lua: &Lua, string: &mlua::Table) -> mlua::Result<()> {
    let raiser = Raiser::new(lua)?;
    string.raw_set("pack", raiser.function(lua, pack)?)?;
    string.raw_set("packsize", raiser.function(lua, packsize)?)?;
    string.raw_set("unpack", raiser.function(lua, unpack)?)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Opt {
    Int,
    Uint,
    Float,
    Char,
    Str,
    Zstr,
    Padding,
    PadAlign,
    Nop,
}

struct Format<'a> {
    fmt: &'a [u8],
    at: usize,
    little: bool,
    max_align: usize,
    /// The API function, for argument errors.
    func: &'static str,
}

impl<'a> Format<'a> {
    fn new(fmt: &'a [u8], func: &'static str) -> Self {
        // The format is read as a C string: it ends at a NUL.
        let end = fmt.iter().position(|&b| b == 0).unwrap_or(fmt.len());
        Format {
            fmt: &fmt[..end],
            at: 0,
            little: true,
            max_align: 1,
            func,
        }
    }

    fn done(&self) -> bool {
        self.at >= self.fmt.len()
    }

    fn peek(&self) -> Option<u8> {
        self.fmt.get(self.at).copied()
    }

    /// A decimal number at the cursor, or `default`.
    fn num(&mut self, default: i64) -> i64 {
        if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return default;
        }
        let mut a: i64 = 0;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            a = a * 10 + i64::from(d - b'0');
            self.at += 1;
            if a > (i64::from(i32::MAX) - 9) / 10 {
                break;
            }
        }
        a
    }

    fn num_limit(&mut self, default: i64) -> Result<usize, String> {
        let size = self.num(default);
        if !(1..=MAX_INT_SIZE).contains(&size) {
            return Err(format!(
                "integral size ({size}) out of limits [1,{MAX_INT_SIZE}]"
            ));
        }
        Ok(size as usize)
    }

    /// The next option and its size.
    fn option(&mut self) -> Result<(Opt, usize), String> {
        let c = self.fmt[self.at];
        self.at += 1;
        Ok(match c {
            b'b' => (Opt::Int, 1),
            b'B' => (Opt::Uint, 1),
            b'h' => (Opt::Int, 2),
            b'H' => (Opt::Uint, 2),
            b'l' | b'j' => (Opt::Int, 8),
            b'L' | b'J' | b'T' => (Opt::Uint, 8),
            b'f' => (Opt::Float, 4),
            b'd' | b'n' => (Opt::Float, 8),
            b'i' => (Opt::Int, self.num_limit(4)?),
            b'I' => (Opt::Uint, self.num_limit(4)?),
            b's' => (Opt::Str, self.num_limit(8)?),
            b'c' => {
                let size = self.num(-1);
                if size == -1 {
                    return Err("missing size for format option 'c'".into());
                }
                (Opt::Char, size as usize)
            }
            b'z' => (Opt::Zstr, 0),
            b'x' => (Opt::Padding, 1),
            b'X' => (Opt::PadAlign, 0),
            b' ' => (Opt::Nop, 0),
            b'<' | b'=' => {
                self.little = true;
                (Opt::Nop, 0)
            }
            b'>' => {
                self.little = false;
                (Opt::Nop, 0)
            }
            b'!' => {
                self.max_align = self.num_limit(MAX_ALIGN)?;
                (Opt::Nop, 0)
            }
            other => return Err(format!("invalid format option '{}'", other as char)),
        })
    }

    /// The next option, its size and the padding that aligns it at
    /// `total` bytes.
    fn details(&mut self, total: usize) -> Result<(Opt, usize, usize), String> {
        let (opt, size) = self.option()?;
        let mut align = size;
        if opt == Opt::PadAlign {
            let func = self.func;
            let bad = || arg_error(1, func, "invalid next option for option 'X'");
            if self.done() {
                return Err(bad());
            }
            let (next, next_align) = self.option()?;
            if next == Opt::Char || next_align == 0 {
                return Err(bad());
            }
            align = next_align;
        }
        let pad = if align <= 1 || opt == Opt::Char {
            0
        } else {
            let align = align.min(self.max_align);
            if !align.is_power_of_two() {
                return Err(arg_error(
                    1,
                    self.func,
                    "format asks for alignment not power of 2",
                ));
            }
            (align - (total & (align - 1))) & (align - 1)
        };
        Ok((opt, size, pad))
    }
}

/// `n` in `size` bytes (sign-extended past 8 bytes when `negative`).
fn pack_int(out: &mut Vec<u8>, n: u64, little: bool, size: usize, negative: bool) {
    let byte = |i: usize| -> u8 {
        if i < SZINT {
            (n >> (8 * i)) as u8
        } else if negative {
            0xFF
        } else {
            0
        }
    };
    if little {
        out.extend((0..size).map(byte));
    } else {
        out.extend((0..size).rev().map(byte));
    }
}

fn unpack_int(data: &[u8], little: bool, size: usize, signed: bool) -> Result<i64, String> {
    let at = |i: usize| data[if little { i } else { size - 1 - i }];
    let limit = size.min(SZINT);
    let mut res: u64 = 0;
    for i in (0..limit).rev() {
        res = (res << 8) | u64::from(at(i));
    }
    if size < SZINT {
        if signed {
            let mask = 1u64 << (size * 8 - 1);
            res = (res ^ mask).wrapping_sub(mask);
        }
    } else if size > SZINT {
        let fill = if !signed || (res as i64) >= 0 {
            0
        } else {
            0xFF
        };
        if (limit..size).any(|i| at(i) != fill) {
            return Err(format!("{size}-byte integer does not fit into Lua Integer"));
        }
    }
    Ok(res as i64)
}

/// `string.pack(fmt, v1, v2, ...)`.
fn pack(lua: &Lua, a: MultiValue) -> Returns {
    let fmt = check_bytes(lua, arg(&a, 1), 1, "pack")?;
    let fmt = fmt.as_bytes();
    let mut f = Format::new(&fmt, "pack");
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut n = 1usize;
    while !f.done() {
        let (opt, size, pad) = f.details(total)?;
        total += pad + size;
        out.resize(out.len() + pad, 0);
        n += 1;
        let v = arg(&a, n);
        let argn = n as u32;
        match opt {
            Opt::Int => {
                let x = args::integer(v, argn, "pack")?;
                if size < SZINT {
                    let lim = 1i64 << (size * 8 - 1);
                    if !(-lim..lim).contains(&x) {
                        return Err(arg_error(argn, "pack", "integer overflow"));
                    }
                }
                pack_int(&mut out, x as u64, f.little, size, x < 0);
            }
            Opt::Uint => {
                let x = args::integer(v, argn, "pack")?;
                if size < SZINT && (x as u64) >= (1u64 << (size * 8)) {
                    return Err(arg_error(argn, "pack", "unsigned overflow"));
                }
                pack_int(&mut out, x as u64, f.little, size, false);
            }
            Opt::Float => {
                let x = check_number(v, argn, "pack")?;
                let mut bytes = if size == 4 {
                    (x as f32).to_le_bytes().to_vec()
                } else {
                    x.to_le_bytes().to_vec()
                };
                if !f.little {
                    bytes.reverse();
                }
                out.extend_from_slice(&bytes);
            }
            Opt::Char => {
                let s = check_bytes(lua, v, argn, "pack")?;
                let s = s.as_bytes();
                if s.len() > size {
                    return Err(arg_error(argn, "pack", "string longer than given size"));
                }
                out.extend_from_slice(&s);
                out.resize(out.len() + size - s.len(), 0);
            }
            Opt::Str => {
                let s = check_bytes(lua, v, argn, "pack")?;
                let s = s.as_bytes();
                if size < 8 && (s.len() as u64) >= (1u64 << (size * 8)) {
                    return Err(arg_error(
                        argn,
                        "pack",
                        "string length does not fit in given size",
                    ));
                }
                pack_int(&mut out, s.len() as u64, f.little, size, false);
                out.extend_from_slice(&s);
                total += s.len();
            }
            Opt::Zstr => {
                let s = check_bytes(lua, v, argn, "pack")?;
                let s = s.as_bytes();
                if s.contains(&0) {
                    return Err(arg_error(argn, "pack", "string contains zeros"));
                }
                out.extend_from_slice(&s);
                out.push(0);
                total += s.len() + 1;
            }
            Opt::Padding => {
                out.push(0);
                n -= 1;
            }
            Opt::PadAlign | Opt::Nop => n -= 1,
        }
    }
    let s = lua.create_string(out).map_err(|e| e.to_string())?;
    Ok(MultiValue::from_iter([Value::String(s)]))
}

/// `string.packsize(fmt)`.
fn packsize(lua: &Lua, a: MultiValue) -> Returns {
    let fmt = check_bytes(lua, arg(&a, 1), 1, "packsize")?;
    let fmt = fmt.as_bytes();
    let mut f = Format::new(&fmt, "packsize");
    let mut total = 0usize;
    while !f.done() {
        let (opt, size, pad) = f.details(total)?;
        if matches!(opt, Opt::Str | Opt::Zstr) {
            return Err(arg_error(1, "packsize", "variable-length format"));
        }
        let size = size + pad;
        if total > (usize::MAX >> 1) - size {
            return Err(arg_error(1, "packsize", "format result too large"));
        }
        total += size;
    }
    Ok(MultiValue::from_iter([Value::Integer(total as i64)]))
}

/// `string.unpack(fmt, s [, pos])`: the values, then the next position.
fn unpack(lua: &Lua, a: MultiValue) -> Returns {
    let fmt = check_bytes(lua, arg(&a, 1), 1, "unpack")?;
    let data = check_bytes(lua, arg(&a, 2), 2, "unpack")?;
    let (fmt, data) = (fmt.as_bytes(), data.as_bytes());
    let ld = data.len();
    let init = opt_integer(arg(&a, 3), 1, 3, "unpack")?;
    let start = if init >= 0 {
        init
    } else if init.unsigned_abs() > ld as u64 {
        0
    } else {
        ld as i64 + init + 1
    } - 1;
    if start < 0 || start > ld as i64 {
        return Err(arg_error(3, "unpack", "initial position out of string"));
    }
    let mut pos = start as usize;
    let mut f = Format::new(&fmt, "unpack");
    let mut out = MultiValue::new();
    let short = || arg_error(2, "unpack", "data string too short");
    while !f.done() {
        let (opt, size, pad) = f.details(pos)?;
        if pad + size > ld - pos {
            return Err(short());
        }
        pos += pad;
        match opt {
            Opt::Int | Opt::Uint => {
                let x = unpack_int(&data[pos..], f.little, size, opt == Opt::Int)?;
                out.push_back(if size == SZINT && opt == Opt::Uint {
                    Value::Number(x as u64 as f64)
                } else {
                    Value::Integer(x)
                });
            }
            Opt::Float => {
                let mut bytes = data[pos..pos + size].to_vec();
                if !f.little {
                    bytes.reverse();
                }
                let x = if size == 4 {
                    f64::from(f32::from_le_bytes(bytes.try_into().unwrap_or([0; 4])))
                } else {
                    f64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]))
                };
                out.push_back(Value::Number(x));
            }
            Opt::Char => {
                let s = lua
                    .create_string(&data[pos..pos + size])
                    .map_err(|e| e.to_string())?;
                out.push_back(Value::String(s));
            }
            Opt::Str => {
                let len = unpack_int(&data[pos..], f.little, size, false)? as u64;
                if len > (ld - pos - size) as u64 {
                    return Err(short());
                }
                let body = &data[pos + size..pos + size + len as usize];
                let s = lua.create_string(body).map_err(|e| e.to_string())?;
                out.push_back(Value::String(s));
                pos += len as usize;
            }
            Opt::Zstr => {
                let len = data[pos..].iter().position(|&b| b == 0).unwrap_or(ld - pos);
                if pos + len >= ld {
                    return Err(arg_error(2, "unpack", "unfinished string for format 'z'"));
                }
                let s = lua
                    .create_string(&data[pos..pos + len])
                    .map_err(|e| e.to_string())?;
                out.push_back(Value::String(s));
                pos += len + 1;
            }
            Opt::Padding | Opt::PadAlign | Opt::Nop => {}
        }
        pos += size;
    }
    out.push_back(Value::Integer(pos as i64 + 1));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lua() -> Lua {
        let lua = Lua::new();
        let string: mlua::Table = lua.globals().get("string").unwrap();
        install(&lua, &string).unwrap();
        lua
    }

    fn eval<T: mlua::FromLuaMulti>(lua: &Lua, code: &str) -> T {
        lua.load(code).set_name("=t").eval().unwrap()
    }

    #[test]
    fn round_trips() {
        let lua = lua();
        assert_eq!(
            eval::<mlua::LuaString>(&lua, "return string.pack('<i4', -2)").as_bytes()[..],
            [0xFE, 0xFF, 0xFF, 0xFF]
        );
        assert_eq!(
            eval::<mlua::LuaString>(&lua, "return string.pack('>I2 s1 z', 258, 'ab', 'c')")
                .as_bytes()[..],
            [1, 2, 2, b'a', b'b', b'c', 0]
        );
        assert_eq!(
            eval::<String>(
                &lua,
                "local a, b, c, d, n = string.unpack('<i4 d s2 B', string.pack('<i4 d s2 B', -7, 1.5, 'xyz', 255)) \
                 return table.concat({a, b, c, d, n}, ',')"
            ),
            "-7,1.5,xyz,255,19"
        );
        assert_eq!(eval::<i64>(&lua, "return string.packsize('!8 b d')"), 16);
        assert_eq!(eval::<i64>(&lua, "return string.packsize('b d')"), 9);
        assert_eq!(eval::<i64>(&lua, "return string.packsize('!4 b Xi4 h')"), 6);
        assert_eq!(
            eval::<String>(
                &lua,
                "return string.format('%.0f', string.unpack('J', string.pack('j', -1)))"
            ),
            "18446744073709551616"
        );
        assert_eq!(
            eval::<i64>(&lua, "return string.unpack('i16', string.pack('i16', -3))"),
            -3
        );
        assert_eq!(
            eval::<String>(&lua, "return (string.unpack('c3', 'abcdef', 2))"),
            "bcd"
        );
        assert_eq!(
            eval::<f64>(&lua, "return string.unpack('>f', string.pack('>f', 0.5))"),
            0.5
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
            err("string.pack('i1', 200)"),
            "t:1: bad argument #2 to 'pack' (integer overflow)"
        );
        assert_eq!(
            err("string.pack('I1', -1)"),
            "t:1: bad argument #2 to 'pack' (unsigned overflow)"
        );
        assert_eq!(
            err("string.pack('i17', 1)"),
            "t:1: integral size (17) out of limits [1,16]"
        );
        assert_eq!(err("string.pack('y', 1)"), "t:1: invalid format option 'y'");
        assert_eq!(
            err("string.pack('c', 'a')"),
            "t:1: missing size for format option 'c'"
        );
        assert_eq!(
            err("string.pack('c2', 'abc')"),
            "t:1: bad argument #2 to 'pack' (string longer than given size)"
        );
        assert_eq!(
            err("string.pack('z', 'a\\0b')"),
            "t:1: bad argument #2 to 'pack' (string contains zeros)"
        );
        assert_eq!(
            err("string.pack('i4', 'x')"),
            "t:1: bad argument #2 to 'pack' (number expected, got string)"
        );
        assert_eq!(
            err("string.packsize('s')"),
            "t:1: bad argument #1 to 'packsize' (variable-length format)"
        );
        assert_eq!(
            err("string.pack('!3 i4', 1)"),
            "t:1: bad argument #1 to 'pack' (format asks for alignment not power of 2)"
        );
        assert_eq!(
            err("string.pack('X', 1)"),
            "t:1: bad argument #1 to 'pack' (invalid next option for option 'X')"
        );
        assert_eq!(
            err("string.unpack('i4', 'abc')"),
            "t:1: bad argument #2 to 'unpack' (data string too short)"
        );
        assert_eq!(
            err("string.unpack('z', 'abc')"),
            "t:1: bad argument #2 to 'unpack' (unfinished string for format 'z')"
        );
        assert_eq!(
            err("string.unpack('b', 'abc', 5)"),
            "t:1: bad argument #3 to 'unpack' (initial position out of string)"
        );
        assert_eq!(
            err("string.unpack('i9', ('\\1'):rep(9))"),
            "t:1: 9-byte integer does not fit into Lua Integer"
        );
    }
}
