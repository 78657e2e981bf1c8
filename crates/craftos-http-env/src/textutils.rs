//! `textutils` (SEMANTICS X6): `serialize`/`unserialize`, the JSON
//! functions, `urlEncode` and `formatTime`, with the sentinels
//! `empty_json_array` and `json_null`.
//!
//! Behaviour is CraftOS-PC's ROM `textutils.lua` (the same code as CC:
//! Tweaked's) as it runs on CraftOS-PC's Lua 5.2:
//!
//! - `serialize` quotes strings as CraftOS-PC's `%q` does (`\"`, `\\`,
//!   backslash-newline, `\r`, `\000`; other bytes raw) and writes numbers as
//!   its `tostring` (`%.14g`; `0/0`, `1/0`, `-1/0`); the sequence first, then
//!   the other keys in `next` order; `compact` and `allow_repetitions`.
//! - `serializeJSON` gives CC: Tweaked's output: numbers as `tostring`
//!   writes them (`%.14g`, so `-0` stays `-0` as on CraftOS-PC; `nan`, `inf`,
//!   `-inf` as CC writes those), `\u00XX` for bytes 0x7F-0xFF unless
//!   `unicode_strings`, `nbt_style`, `allow_repetitions`. **\[fix\]** A table
//!   whose largest numeric key is above 2^24 raises `Cannot serialize table
//!   with huge array index` (CC would hang writing `null`s).
//! - `unserializeJSON` accepts what CC's parser accepts and reports what it
//!   reports (`nil, "Malformed JSON at position N: ..."`), natively, so large
//!   bodies parse fast. **\[fix\]** Input that crashes CC's parser (`-` with no
//!   digits, an `nbt_style` key that is no identifier) gets a message
//!   instead; nesting deeper than 10000 levels is refused with
//!   `Too deeply nested.`.
//!
//! The walkers live in `textutils.lua`; the natives here parse JSON and
//! escape UTF-8 strings for `unicode_strings`.

use std::borrow::Cow;
use std::io::IsTerminal;

use mlua::{Lua, LuaString, Table, Value};

use craftos_http_lua::native::{Outcome, fail_mark, native};

const TEXTUTILS_LUA: &str = include_str!("textutils.lua");
/// The functions that print (`slowWrite`, `pagedPrint`, `tabulate`, ...)
/// and `complete`.
const SCREEN_LUA: &str = include_str!("textutils/screen.lua");

/// JSON nesting deeper than this is refused (the parser keeps one Lua
/// reference per open array or object).
#[cfg(not(any(feature = "lua51", feature = "luajit")))]
const MAX_DEPTH: usize = 10_000;
/// [`MAX_DEPTH`] on Lua 5.1 and LuaJIT, where a state holds at most 8000
/// references (`LUAI_MAXCSTACK`), all of them together.
#[cfg(any(feature = "lua51", feature = "luajit"))]
const MAX_DEPTH: usize = 5_000;

/// Set the global `textutils` table of `lua`.
///
/// Functions: `serialize`/`serialise`, `unserialize`/`unserialise`,
/// `serializeJSON`/`serialiseJSON`, `unserializeJSON`/`unserialiseJSON`,
/// `urlEncode`, `formatTime`, `slowWrite`, `slowPrint`, `pagedPrint`,
/// `tabulate`, `pagedTabulate` (printing through the globals `term`,
/// `write`, `print`, `sleep`; paged output waits for Enter only when stdin
/// and stdout are terminals) and `complete`; values: `empty_json_array`,
/// `json_null`.
/// Argument errors are raised as strings at the caller's position; the
/// serialisers' own errors (`Cannot serialize type function`, ...) carry no
/// position, exactly as CraftOS-PC raises them.
pub fn install(lua: &Lua) -> mlua::Result<()> {
    let natives = lua.create_table()?;
    natives.raw_set(
        "json_decode",
        native(
            lua,
            |lua,
             (s, nbt_style, parse_null, empty_array, json_null, empty_json_array): (
                LuaString,
                bool,
                bool,
                bool,
                Value,
                Value,
            )| {
                let bytes = s.as_bytes();
                let decoder = Decoder {
                    lua,
                    s: &bytes,
                    nbt_style,
                    parse_null,
                    empty_array,
                    json_null,
                    empty_json_array,
                };
                decode_outcome(lua, decoder.decode_all())
            },
        )?,
    )?;
    natives.raw_set(
        "json_unicode",
        native(lua, |lua, s: LuaString| {
            match json_unicode_string(&s.as_bytes()) {
                Some(text) => Ok((
                    Value::String(lua.create_string(text).map_err(lua_message)?),
                    Value::Nil,
                )),
                None => Err("invalid UTF-8 code".to_string()),
            }
        })?,
    )?;
    let load = super::compat::string_load(lua)?;
    let api: Table = craftos_http_lua::compiled::load(lua, "=textutils", TEXTUTILS_LUA)?.call((
        natives,
        fail_mark(),
        load,
    ))?;
    // Paged output waits for Enter only with someone at a terminal.
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    craftos_http_lua::compiled::load(lua, "=textutils", SCREEN_LUA)?.call::<()>((
        &api,
        lua.globals(),
        interactive,
    ))?;
    lua.globals().raw_set("textutils", api)
}

/// Why a parse stopped.
enum Failure {
    /// Bad JSON: CC's message (without the `Malformed JSON at position N: `
    /// prefix) and its 1-based position.
    Malformed(usize, Vec<u8>),
    /// A Lua error (out of memory).
    Lua(mlua::Error),
}

impl From<mlua::Error> for Failure {
    fn from(e: mlua::Error) -> Self {
        Failure::Lua(e)
    }
}

/// The text of an mlua error, for raising again as a string.
fn lua_message(e: mlua::Error) -> String {
    match e {
        mlua::Error::RuntimeError(m) | mlua::Error::MemoryError(m) => m,
        other => other.to_string(),
    }
}

/// `true, value` / `false, message` / FAIL for a Lua error.
fn decode_outcome(lua: &Lua, result: Result<Value, Failure>) -> Outcome {
    match result {
        Ok(v) => Ok((Value::Boolean(true), v)),
        Err(Failure::Malformed(pos, msg)) => {
            let mut text = format!("Malformed JSON at position {pos}: ").into_bytes();
            text.extend_from_slice(&msg);
            let text = lua.create_string(text).map_err(lua_message)?;
            Ok((Value::Boolean(false), Value::String(text)))
        }
        Err(Failure::Lua(e)) => Err(lua_message(e)),
    }
}

/// A string quoted as CraftOS-PC's (and CC's) `%q` quotes it.
fn quote(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.push(b'"');
    for &c in bytes {
        match c {
            b'"' | b'\\' | b'\n' => out.extend_from_slice(&[b'\\', c]),
            b'\r' => out.extend_from_slice(b"\\r"),
            0 => out.extend_from_slice(b"\\000"),
            _ => out.push(c),
        }
    }
    out.push(b'"');
    out
}

/// An open array or object.
enum Frame {
    /// The array and the index of its next element.
    Array(Table, i64),
    /// The object and the key of the value being parsed.
    Object(Table, LuaString),
}

/// CC: Tweaked's JSON parser (`unserialiseJSON`), without recursion.
struct Decoder<'a> {
    lua: &'a Lua,
    s: &'a [u8],
    nbt_style: bool,
    parse_null: bool,
    /// `[]` is `textutils.empty_json_array` (not `parse_empty_array = false`).
    empty_array: bool,
    json_null: Value,
    empty_json_array: Value,
}

/// A failure at 0-based index `i` (reported 1-based, as CC does).
fn at(i: usize, msg: impl Into<Vec<u8>>) -> Failure {
    Failure::Malformed(i + 1, msg.into())
}

impl Decoder<'_> {
    fn byte(&self, i: usize) -> Option<u8> {
        self.s.get(i).copied()
    }

    /// Skip JSON whitespace (space, LF, CR, tab).
    fn skip(&self, mut i: usize) -> usize {
        while matches!(self.byte(i), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            i += 1;
        }
        i
    }

    /// `Unexpected <what is at i>, expected <what>.`
    fn expected(&self, i: usize, what: &str) -> Failure {
        let mut msg = b"Unexpected ".to_vec();
        match self.byte(i) {
            None => msg.extend_from_slice(b"end of input"),
            Some(c) => msg.extend_from_slice(&quote(&[c])),
        }
        msg.extend_from_slice(format!(", expected {what}.").as_bytes());
        at(i, msg)
    }

    /// The whole input: one value, whitespace around it.
    fn decode_all(&self) -> Result<Value, Failure> {
        let (value, end) = self.decode(self.skip(0))?;
        let end = self.skip(end);
        if let Some(c) = self.byte(end) {
            let mut msg = b"Unexpected trailing character ".to_vec();
            msg.extend_from_slice(&quote(&[c]));
            msg.push(b'.');
            return Err(at(end, msg));
        }
        Ok(value)
    }

    /// The value starting at `i`, and the index after it.
    fn decode(&self, mut i: usize) -> Result<(Value, usize), Failure> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // One value at `i`: either complete, or the start of a non-empty
            // array/object (pushed, then its first value is parsed).
            let (mut value, mut end) = match self.byte(i) {
                Some(b'"') => self.string_value(i + 1, b'"')?,
                Some(b'\'') if self.nbt_style => self.string_value(i + 1, b'\'')?,
                Some(b'-' | b'0'..=b'9') => self.number(i)?,
                Some(b't') if self.s[i + 1..].starts_with(b"rue") => (Value::Boolean(true), i + 4),
                Some(b'f') if self.s[i + 1..].starts_with(b"alse") => {
                    (Value::Boolean(false), i + 5)
                }
                Some(b'n') if self.s[i + 1..].starts_with(b"ull") => {
                    let v = if self.parse_null {
                        self.json_null.clone()
                    } else {
                        Value::Nil
                    };
                    (v, i + 4)
                }
                Some(b'{') => {
                    let j = self.skip(i + 1);
                    match self.byte(j) {
                        None => return Err(at(j, "Unexpected end of input, expected '}'.")),
                        Some(b'}') => (Value::Table(self.lua.create_table()?), j + 1),
                        Some(_) => {
                            if stack.len() >= MAX_DEPTH {
                                return Err(at(i, "Too deeply nested."));
                            }
                            let (key, next) = self.key(j)?;
                            stack.push(Frame::Object(self.lua.create_table()?, key));
                            i = next;
                            continue;
                        }
                    }
                }
                Some(b'[') => {
                    let mut j = self.skip(i + 1);
                    if self.nbt_style
                        && matches!(self.byte(j), Some(b'I' | b'L' | b'B'))
                        && self.byte(j + 1) == Some(b';')
                    {
                        j = self.skip(j + 2);
                    }
                    match self.byte(j) {
                        None => return Err(self.expected(j, "']'")),
                        Some(b']') => {
                            let v = if self.empty_array {
                                self.empty_json_array.clone()
                            } else {
                                Value::Table(self.lua.create_table()?)
                            };
                            (v, j + 1)
                        }
                        Some(_) => {
                            if stack.len() >= MAX_DEPTH {
                                return Err(at(i, "Too deeply nested."));
                            }
                            stack.push(Frame::Array(self.lua.create_table()?, 1));
                            i = j;
                            continue;
                        }
                    }
                }
                None => return Err(at(i, "Unexpected end of input.")),
                Some(c) => {
                    let mut msg = b"Unexpected character ".to_vec();
                    msg.extend_from_slice(&quote(&[c]));
                    msg.push(b'.');
                    return Err(at(i, msg));
                }
            };

            // Store the value in the open containers, closing those that end.
            loop {
                let Some(frame) = stack.last_mut() else {
                    return Ok((value, end));
                };
                let j = self.skip(end);
                let closed = match frame {
                    Frame::Array(table, n) => {
                        table.raw_set(*n, value)?;
                        *n += 1;
                        match self.byte(j) {
                            Some(b']') => true,
                            Some(b',') => {
                                i = self.skip(j + 1);
                                false
                            }
                            _ => return Err(self.expected(j, "',' or ']'")),
                        }
                    }
                    Frame::Object(table, key) => {
                        table.raw_set(&*key, value)?;
                        match self.byte(j) {
                            Some(b'}') => true,
                            Some(b',') => {
                                let (next_key, next) = self.key(self.skip(j + 1))?;
                                *key = next_key;
                                i = next;
                                false
                            }
                            _ => return Err(self.expected(j, "',' or '}'")),
                        }
                    }
                };
                if !closed {
                    break;
                }
                value = match stack.pop() {
                    Some(Frame::Array(t, _) | Frame::Object(t, _)) => Value::Table(t),
                    None => Value::Nil,
                };
                end = j + 1;
            }
        }
    }

    /// An object key at `i` and its `:`; returns the key and the index of
    /// the value (whitespace skipped).
    fn key(&self, i: usize) -> Result<(LuaString, usize), Failure> {
        let (key, end) = match self.byte(i) {
            Some(b'"') => {
                let (bytes, end) = self.string(i + 1, b'"')?;
                (bytes, end)
            }
            Some(c) if self.nbt_style && c.is_ascii_alphabetic() => {
                let mut end = i + 1;
                while matches!(self.byte(end), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
                    end += 1;
                }
                (Cow::Borrowed(&self.s[i..end]), end)
            }
            _ => return Err(self.expected(i, "object key")),
        };
        let key = self.lua.create_string(&*key)?;
        let j = self.skip(end);
        if self.byte(j) != Some(b':') {
            return Err(self.expected(j, "':'"));
        }
        Ok((key, self.skip(j + 1)))
    }

    fn string_value(&self, i: usize, terminator: u8) -> Result<(Value, usize), Failure> {
        let (bytes, end) = self.string(i, terminator)?;
        Ok((Value::String(self.lua.create_string(&*bytes)?), end))
    }

    /// The body of a string starting at `i` (after the opening quote), up to
    /// `terminator`; returns its bytes and the index after the terminator.
    fn string(&self, i: usize, terminator: u8) -> Result<(Cow<'_, [u8]>, usize), Failure> {
        let s = self.s;
        let mut buf: Option<Vec<u8>> = None;
        let mut start = i;
        let mut i = i;
        loop {
            match self.byte(i) {
                None => return Err(at(i, "Unexpected end of input, expected '\"'.")),
                Some(c) if c == terminator => {
                    let bytes = match buf {
                        None => Cow::Borrowed(&s[start..i]),
                        Some(mut b) => {
                            b.extend_from_slice(&s[start..i]);
                            Cow::Owned(b)
                        }
                    };
                    return Ok((bytes, i + 1));
                }
                Some(b'\\') => {
                    let b = buf.get_or_insert_with(Vec::new);
                    b.extend_from_slice(&s[start..i]);
                    match self.byte(i + 1) {
                        None => {
                            return Err(at(
                                i,
                                "Unexpected end of input, expected escape sequence.",
                            ));
                        }
                        Some(b'u') => {
                            let hex = &s[(i + 2).min(s.len())..(i + 6).min(s.len())];
                            let code = if hex.len() == 4 && hex.iter().all(u8::is_ascii_hexdigit) {
                                std::str::from_utf8(hex)
                                    .ok()
                                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                            } else {
                                None
                            };
                            let Some(code) = code else {
                                let mut msg = b"Malformed unicode escape ".to_vec();
                                msg.extend_from_slice(&quote(hex));
                                msg.push(b'.');
                                return Err(at(i, msg));
                            };
                            push_utf8(b, code);
                            i += 6;
                        }
                        Some(e) => {
                            let c = match e {
                                b'b' => 0x08,
                                b'f' => 0x0c,
                                b'n' => b'\n',
                                b'r' => b'\r',
                                b't' => b'\t',
                                b'"' | b'/' | b'\\' => e,
                                _ => {
                                    let mut msg = b"Unknown escape character ".to_vec();
                                    msg.extend_from_slice(&quote(&[e]));
                                    msg.push(b'.');
                                    return Err(at(i + 1, msg));
                                }
                            };
                            b.push(c);
                            i += 2;
                        }
                    }
                    start = i;
                }
                Some(c) if c >= 0x20 => i += 1,
                Some(c) => {
                    // CC reports the position after the offending byte.
                    let mut msg = b"Unescaped whitespace ".to_vec();
                    msg.extend_from_slice(&quote(&[c]));
                    msg.push(b'.');
                    return Err(at(i + 1, msg));
                }
            }
        }
    }

    /// A number at `i`: what the Lua pattern `-?%d+%.?%d*[eE]?[+-]?%d*`
    /// matches, converted as `tonumber` converts it; with `nbt_style`, one
    /// type suffix (`bBsSlLfFdD`) is skipped.
    fn number(&self, i: usize) -> Result<(Value, usize), Failure> {
        let digits = |mut j: usize| {
            while matches!(self.byte(j), Some(b'0'..=b'9')) {
                j += 1;
            }
            j
        };
        let mut j = i;
        if self.byte(j) == Some(b'-') {
            j += 1;
        }
        let int_start = j;
        j = digits(j);
        if j == int_start {
            // CC's parser fails here with a Lua error; report it instead.
            let mut msg = b"Malformed number ".to_vec();
            msg.extend_from_slice(&quote(&self.s[i..j]));
            msg.push(b'.');
            return Err(at(i, msg));
        }
        let mut integral = true;
        if self.byte(j) == Some(b'.') {
            integral = false;
            j = digits(j + 1);
        }
        if matches!(self.byte(j), Some(b'e' | b'E')) {
            integral = false;
            j += 1;
        }
        if matches!(self.byte(j), Some(b'+' | b'-')) {
            integral = false;
            j += 1;
        }
        j = digits(j);
        let text = &self.s[i..j];
        let value = std::str::from_utf8(text)
            .ok()
            .and_then(|t| number_value(t, integral));
        let Some(value) = value else {
            let mut msg = b"Malformed number ".to_vec();
            msg.extend_from_slice(&quote(text));
            msg.push(b'.');
            return Err(at(i, msg));
        };
        if self.nbt_style
            && matches!(
                self.byte(j),
                Some(b'b' | b'B' | b's' | b'S' | b'l' | b'L' | b'f' | b'F' | b'd' | b'D')
            )
        {
            j += 1;
        }
        Ok((value, j))
    }
}

/// The Lua number `tonumber(text)` gives (the grammar above is a subset of
/// what both `strtod` and Rust's parser accept, with the same rounding).
fn number_value(text: &str, integral: bool) -> Option<Value> {
    // Lua 5.3+ reads integer literals as integers; Lua 5.1/5.2 has only floats
    // (and `-0` stays negative zero there).
    if cfg!(any(feature = "lua53", feature = "lua54"))
        && integral
        && let Ok(n) = text.parse::<i64>()
    {
        return Some(Value::Integer(n));
    }
    text.parse::<f64>().ok().map(Value::Number)
}

/// `utf8.char(code)` for a code below 0x10000 (surrogates included, as Lua
/// encodes them).
fn push_utf8(out: &mut Vec<u8>, code: u32) {
    if code < 0x80 {
        out.push(code as u8);
    } else if code < 0x800 {
        out.push(0xC0 | (code >> 6) as u8);
        out.push(0x80 | (code & 0x3F) as u8);
    } else {
        out.push(0xE0 | (code >> 12) as u8);
        out.push(0x80 | ((code >> 6) & 0x3F) as u8);
        out.push(0x80 | (code & 0x3F) as u8);
    }
}

/// Decode one UTF-8 sequence at the start of `s` as Lua 5.3's `utf8`
/// library does (overlong forms and codes above 0x10FFFF refused; surrogates
/// accepted; bytes past the end read as NUL). Returns the code and length.
fn utf8_decode(s: &[u8]) -> Option<(u32, usize)> {
    const LIMITS: [u32; 4] = [0xFF, 0x7F, 0x7FF, 0xFFFF];
    let mut c = u32::from(*s.first()?);
    if c < 0x80 {
        return Some((c, 1));
    }
    let mut res: u32 = 0;
    let mut count = 0usize;
    while c & 0x40 != 0 {
        count += 1;
        let cc = u32::from(s.get(count).copied().unwrap_or(0));
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
    if res > 0x10FFFF || res <= LIMITS[count] {
        return None;
    }
    Some((res, count + 1))
}

/// A JSON string literal for `s` under `unicode_strings`: `s` read as UTF-8
/// (`None` if it is not), code points from U+007F written as `\uXXXX`
/// (surrogate pairs above U+FFFF), control characters escaped.
fn json_unicode_string(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() + 2);
    out.push(b'"');
    let mut i = 0;
    while i < s.len() {
        let (code, len) = utf8_decode(&s[i..])?;
        // A continuation byte right after a character is an error too.
        if matches!(s.get(i + len), Some(b) if b & 0xC0 == 0x80) {
            return None;
        }
        i += len;
        match code {
            0x22 => out.extend_from_slice(b"\\\""),
            0x5C => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            0x0A => out.extend_from_slice(b"\\n"),
            0x0D => out.extend_from_slice(b"\\r"),
            0x09 => out.extend_from_slice(b"\\t"),
            0x10000.. => {
                let c = code - 0x10000;
                let high = 0xD800 + ((c >> 10) & 0x3FF);
                let low = 0xDC00 + (c & 0x3FF);
                out.extend_from_slice(format!("\\u{high:04X}\\u{low:04X}").as_bytes());
            }
            0..=0x1F | 0x7F.. => out.extend_from_slice(format!("\\u{code:04X}").as_bytes()),
            _ => out.push(code as u8),
        }
    }
    out.push(b'"');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn computer() -> Lua {
        let lua = Lua::new();
        install(&lua).unwrap();
        lua
    }

    /// Run `code` (a chunk named `test`) and return its first result's bytes.
    fn bytes(lua: &Lua, code: &str) -> Vec<u8> {
        let v: LuaString = lua.load(code).set_name("=test").eval().unwrap();
        v.as_bytes().to_vec()
    }

    fn text(lua: &Lua, code: &str) -> String {
        String::from_utf8(bytes(lua, code)).unwrap()
    }

    /// The error `code` raises, as a string (it must be one).
    fn error_of(lua: &Lua, code: &str) -> String {
        let wrapped = format!(
            "local ok, err = pcall(function() {code} end)\n\
             assert(not ok, 'no error')\n\
             assert(type(err) == 'string', 'error is a ' .. type(err))\n\
             return err"
        );
        text(lua, &wrapped)
    }

    fn ser(lua: &Lua, value: &str) -> String {
        text(lua, &format!("return textutils.serialize({value})"))
    }

    fn json(lua: &Lua, value: &str) -> String {
        text(lua, &format!("return textutils.serializeJSON({value})"))
    }

    /// `unserializeJSON(s)` re-serialised compactly (or `nil, message`).
    fn unjson(lua: &Lua, s: &str, opts: &str) -> String {
        let code = format!(
            "local v, err = textutils.unserializeJSON({s}, {opts})\n\
             if err then return 'nil, ' .. err end\n\
             if v == textutils.json_null then return 'json_null' end\n\
             if v == textutils.empty_json_array then return 'empty_json_array' end\n\
             return textutils.serialize(v, {{ compact = true }})"
        );
        String::from_utf8_lossy(&bytes(lua, &code)).into_owned()
    }

    #[test]
    fn serialize_tables() {
        let lua = computer();
        assert_eq!(ser(&lua, "{}"), "{}");
        assert_eq!(ser(&lua, "{1, 2, 3}"), "{\n  1,\n  2,\n  3,\n}");
        assert_eq!(ser(&lua, "{a = 1}"), "{\n  a = 1,\n}");
        assert_eq!(
            ser(&lua, "{1, {2, {}}, x = {y = true}}"),
            "{\n  1,\n  {\n    2,\n    {},\n  },\n  x = {\n    y = true,\n  },\n}"
        );
        // Keys that are not identifiers, keywords (but not `goto`, absent from
        // CraftOS-PC's list), numbers outside the sequence, booleans, tables.
        assert_eq!(ser(&lua, r#"{["and"] = 1}"#), "{\n  [ \"and\" ] = 1,\n}");
        assert_eq!(ser(&lua, r#"{["goto"] = 1}"#), "{\n  goto = 1,\n}");
        assert_eq!(ser(&lua, r#"{["a b"] = 1}"#), "{\n  [ \"a b\" ] = 1,\n}");
        assert_eq!(ser(&lua, r#"{["1x"] = 1}"#), "{\n  [ \"1x\" ] = 1,\n}");
        assert_eq!(ser(&lua, r#"{_x1 = "v"}"#), "{\n  _x1 = \"v\",\n}");
        assert_eq!(ser(&lua, "{[1.5] = 2}"), "{\n  [ 1.5 ] = 2,\n}");
        assert_eq!(ser(&lua, "{[3] = 1}"), "{\n  [ 3 ] = 1,\n}");
        assert_eq!(ser(&lua, "{[true] = false}"), "{\n  [ true ] = false,\n}");
        assert_eq!(ser(&lua, "{1, nil, 3}"), "{\n  1,\n  [ 3 ] = 3,\n}");
        assert_eq!(ser(&lua, "{[{}] = 1}"), "{\n  [ {} ] = 1,\n}");
        assert_eq!(ser(&lua, "{[{1}] = 1}"), "{\n  [ {\n    1,\n  } ] = 1,\n}");
        assert_eq!(ser(&lua, "{[1/0] = 0/0}"), "{\n  [ 1/0 ] = 0/0,\n}");
        // Metatables play no part (raw access).
        assert_eq!(
            ser(
                &lua,
                "setmetatable({}, {__index = function() return 1 end})"
            ),
            "{}"
        );
        assert_eq!(ser(&lua, "textutils.json_null"), "{}");
    }

    #[test]
    fn serialize_key_order_is_next_order() {
        let lua = computer();
        let code = r#"
            local t = {10, 20, a = 1, b = 2, c = 3, [7] = 4, [false] = 5}
            local parts = {"{\n", "  10,\n", "  20,\n"}
            for k, v in next, t do
              if k ~= 1 and k ~= 2 then
                local key = type(k) == "string" and k .. " = " or "[ " .. tostring(k) .. " ] = "
                parts[#parts + 1] = "  " .. key .. v .. ",\n"
              end
            end
            parts[#parts + 1] = "}"
            local expected = table.concat(parts)
            local got = textutils.serialize(t)
            assert(got == expected, got .. " ~= " .. expected)
            return got
        "#;
        assert!(text(&lua, code).starts_with("{\n  10,\n  20,\n"));
    }

    #[test]
    fn serialize_compact() {
        let lua = computer();
        assert_eq!(
            text(
                &lua,
                r#"return textutils.serialize({1, {2}, a = "b"}, {compact = true})"#
            ),
            r#"{1,{2,},a="b",}"#
        );
        assert_eq!(
            text(
                &lua,
                r#"return textutils.serialize({[{}] = {x = 1}}, {compact = true})"#
            ),
            "{[{}]={x=1,},}"
        );
        assert_eq!(
            text(&lua, "return textutils.serialize({}, {compact = true})"),
            "{}"
        );
        assert_eq!(
            text(&lua, "return textutils.serialize({1}, {compact = false})"),
            "{\n  1,\n}"
        );
    }

    #[test]
    fn serialize_strings_as_craftos_quotes_them() {
        let lua = computer();
        assert_eq!(
            bytes(
                &lua,
                r#"return textutils.serialize("a\"b\\c\nd\re\0f\0001\1\t\127\200\255")"#
            ),
            b"\"a\\\"b\\\\c\\\nd\\re\\000f\\0001\x01\t\x7f\xc8\xff\"".to_vec()
        );
        assert_eq!(ser(&lua, r#""""#), r#""""#);
        // What it writes reads back.
        assert_eq!(
            text(
                &lua,
                r#"local s = "q\"\\\n\r\0\0009\1\255"
                   return tostring(textutils.unserialize(textutils.serialize(s)) == s)"#
            ),
            "true"
        );
    }

    #[test]
    fn serialize_numbers_and_scalars() {
        let lua = computer();
        for (value, expected) in [
            ("1", "1"),
            ("-7", "-7"),
            ("1.5", "1.5"),
            ("0.1", "0.1"),
            ("1/3", "0.33333333333333"),
            ("1e100", "1e+100"),
            ("1e-5", "1e-05"),
            ("2^53", "9.007199254741e+15"),
            ("123456789012345", "1.2345678901234e+14"),
            ("2^31", "2147483648"),
            ("-0.0", "-0"),
            ("0", "0"),
            ("math.huge", "1/0"),
            ("-math.huge", "-1/0"),
            ("0/0", "0/0"),
            ("true", "true"),
            ("false", "false"),
            ("nil", "nil"),
            ("", "nil"),
        ] {
            assert_eq!(ser(&lua, value), expected, "serialize({value})");
        }
    }

    #[test]
    fn serialize_errors() {
        let lua = computer();
        // No position: CraftOS-PC raises these with `error(msg, 0)`.
        assert_eq!(
            error_of(&lua, "textutils.serialize(print)"),
            "Cannot serialize type function"
        );
        assert_eq!(
            error_of(
                &lua,
                "textutils.serialize({a = {coroutine.create(function() end)}})"
            ),
            "Cannot serialize type thread"
        );
        assert_eq!(
            error_of(&lua, "textutils.serialize({[print] = 1})"),
            "Cannot serialize type function"
        );
        assert_eq!(
            error_of(&lua, "local t = {} t[1] = {t} textutils.serialize(t)"),
            "Cannot serialize table with recursive entries"
        );
        assert_eq!(
            error_of(
                &lua,
                "local t = {} t.x = t textutils.serialize(t, {allow_repetitions = true})"
            ),
            "Cannot serialize table with recursive entries"
        );
        assert_eq!(
            error_of(&lua, "local x = {} textutils.serialize({x, x})"),
            "Cannot serialize table with repeated entries"
        );
        assert_eq!(
            text(
                &lua,
                "local x = {} return textutils.serialize({x, x}, {allow_repetitions = true})"
            ),
            "{\n  {},\n  {},\n}"
        );
        // Argument errors are at the caller's position.
        assert_eq!(
            error_of(&lua, "textutils.serialize({}, 5)"),
            "test:1: bad argument #2 to 'serialize' (table expected, got number)"
        );
        assert_eq!(
            error_of(&lua, "textutils.serialise({}, {compact = 1})"),
            "test:1: bad field 'compact' (boolean expected, got number)"
        );
        assert_eq!(
            error_of(&lua, "textutils.serialize({}, {allow_repetitions = 'x'})"),
            "test:1: bad field 'allow_repetitions' (boolean expected, got string)"
        );
    }

    #[test]
    fn unserialize() {
        let lua = computer();
        assert_eq!(
            text(
                &lua,
                r#"local t = textutils.unserialize(textutils.serialize({1, "two", {x = 3}, [true] = 1.5}))
                   return t[1] .. t[2] .. t[3].x .. t[true]"#
            ),
            "1two31.5"
        );
        assert_eq!(
            text(&lua, "return tostring(textutils.unserialise('{'))"),
            "nil"
        );
        // No globals inside: `print` is nil there, and errors give nil.
        assert_eq!(
            text(&lua, "return tostring(textutils.unserialize('print'))"),
            "nil"
        );
        assert_eq!(
            text(&lua, "return tostring(textutils.unserialize('error(1)'))"),
            "nil"
        );
        assert_eq!(
            text(&lua, "return select('#', textutils.unserialize('1, 2'))"),
            "1"
        );
        assert_eq!(
            text(&lua, "return tostring(textutils.unserialize('1/0'))"),
            "inf"
        );
        assert_eq!(
            error_of(&lua, "textutils.unserialize(5)"),
            "test:1: bad argument #1 to 'unserialize' (string expected, got number)"
        );
    }

    #[test]
    fn json_values() {
        let lua = computer();
        for (value, expected) in [
            ("{}", "{}"),
            ("{1, 2, 3}", "[1,2,3]"),
            ("{a = 1}", r#"{"a":1}"#),
            ("{1, nil, 3}", "[1,null,3]"),
            ("{[1] = 1, [3] = 3}", "[1,null,3]"),
            ("{1, 2, a = 3}", r#"{"a":3}"#),
            ("{[0] = 1, [-1] = 2}", "{}"),
            ("{[true] = 1}", "{}"),
            ("{[1.5] = 'x'}", "[null]"),
            ("{{}, {{}}}", "[{},[{}]]"),
            ("{a = {b = {1}}}", r#"{"a":{"b":[1]}}"#),
            ("textutils.empty_json_array", "[]"),
            ("textutils.json_null", "null"),
            (
                "{textutils.empty_json_array, textutils.empty_json_array}",
                "[[],[]]",
            ),
            ("{x = textutils.json_null}", r#"{"x":null}"#),
            ("1", "1"),
            ("1.5", "1.5"),
            ("1e100", "1e+100"),
            ("2^53", "9.007199254741e+15"),
            ("-0.0", "-0"),
            ("math.huge", "inf"),
            ("-math.huge", "-inf"),
            ("0/0", "nan"),
            ("-(0/0)", "nan"),
            ("true", "true"),
            ("{false}", "[false]"),
            ("'x'", r#""x""#),
        ] {
            assert_eq!(json(&lua, value), expected, "serializeJSON({value})");
        }
    }

    #[test]
    fn json_strings() {
        let lua = computer();
        assert_eq!(
            json(&lua, r#""a\"b\\c\n\r\t\b\f\0\1\31/\127\128\255 é""#),
            r#""a\"b\\c\n\r\t\b\f\u0000\u0001\u001F/\u007F\u0080\u00FF \u00C3\u00A9""#
        );
        assert_eq!(json(&lua, r#"{["k\n"] = "v"}"#), r#"{"k\n":"v"}"#);
        let unicode = |s: &str| {
            text(
                &lua,
                &format!("return textutils.serializeJSON({s}, {{unicode_strings = true}})"),
            )
        };
        assert_eq!(
            unicode(r#""é€😀\1\127\"\\/x""#),
            r#""\u00E9\u20AC\uD83D\uDE00\u0001\u007F\"\\/x""#
        );
        assert_eq!(unicode(r#"{["é"] = "\0"}"#), r#"{"\u00E9":"\u0000"}"#);
        // A pure-ASCII string takes the plain path; the output is the same.
        assert_eq!(unicode(r#""a\127\n""#), r#""a\u007F\n""#);
        // Surrogates encoded in UTF-8 pass (as Lua's utf8 library lets them).
        assert_eq!(unicode(r#""\237\160\128""#), r#""\uD800""#);
        for bad in [
            r#""\255""#,
            r#""\195""#,
            r#""\195(""#,
            r#""\192\128""#,
            r#""\244\144\128\128""#,
            r#""a\128""#,
        ] {
            assert_eq!(
                error_of(
                    &lua,
                    &format!("textutils.serializeJSON({bad}, {{unicode_strings = true}})")
                ),
                "test:1: invalid UTF-8 code",
                "{bad}"
            );
        }
    }

    #[test]
    fn json_options() {
        let lua = computer();
        assert_eq!(
            text(&lua, "return textutils.serializeJSON({a = {1, 'x'}}, true)"),
            r#"{a:[1,"x"]}"#
        );
        assert_eq!(
            text(
                &lua,
                "return textutils.serialiseJSON({a = {1}}, {nbt_style = true})"
            ),
            "{a:[1]}"
        );
        assert_eq!(
            text(&lua, "return textutils.serializeJSON({a = {1}}, false)"),
            r#"{"a":[1]}"#
        );
        assert_eq!(
            error_of(&lua, "local x = {} textutils.serializeJSON({x, x})"),
            "Cannot serialize table with repeated entries"
        );
        assert_eq!(
            text(
                &lua,
                "local x = {1} return textutils.serializeJSON({x, x}, {allow_repetitions = true})"
            ),
            "[[1],[1]]"
        );
        assert_eq!(
            error_of(
                &lua,
                "local t = {} t[1] = t textutils.serializeJSON(t, {allow_repetitions = true})"
            ),
            "Cannot serialize table with recursive entries"
        );
        assert_eq!(
            error_of(&lua, "textutils.serializeJSON({print})"),
            "Cannot serialize type function"
        );
        // The array part is encoded (and checked) even when the object wins.
        assert_eq!(
            error_of(&lua, "textutils.serializeJSON({a = 1, print})"),
            "Cannot serialize type function"
        );
        assert_eq!(
            error_of(&lua, "textutils.serializeJSON({[2^30] = 1})"),
            "Cannot serialize table with huge array index"
        );
        assert_eq!(
            error_of(&lua, "textutils.serializeJSON()"),
            "test:1: bad argument #1 to 'serializeJSON' (table, string, number or boolean expected, got nil)"
        );
        assert_eq!(
            error_of(&lua, "textutils.serializeJSON({}, 5)"),
            "test:1: bad argument #2 to 'serializeJSON' (table or boolean expected, got number)"
        );
        assert_eq!(
            error_of(&lua, "textutils.serializeJSON({}, {unicode_strings = 1})"),
            "test:1: bad field 'unicode_strings' (boolean expected, got number)"
        );
        // `pairs` and indexing honour metamethods, as in CC (Lua 5.1's and
        // LuaJIT's `pairs` know no `__pairs`).
        assert_eq!(
            text(
                &lua,
                "local t = setmetatable({0}, {__pairs = function() return next, {9, 8} end})\n\
                 return textutils.serializeJSON({t})"
            ),
            if cfg!(any(feature = "lua51", feature = "luajit")) {
                "[[0]]"
            } else {
                "[[0,null]]"
            }
        );
        assert_eq!(
            text(
                &lua,
                "local t = setmetatable({[3] = 3}, {__index = function(_, k) return k * 10 end})\n\
                 return textutils.serializeJSON(t)"
            ),
            "[10,20,3]"
        );
    }

    #[test]
    fn unserialize_json_values() {
        let lua = computer();
        assert_eq!(
            unjson(&lua, r#"' {"a": [1, 2.5, {"b": null}]} '"#, "nil"),
            "{a={1,2.5,{},},}"
        );
        assert_eq!(unjson(&lua, r#"'"x\\u00e9\\n"'"#, "nil"), "\"xé\\\n\"");
        assert_eq!(unjson(&lua, "'[1, null, 3]'", "nil"), "{1,[3]=3,}");
        assert_eq!(unjson(&lua, "'[null]'", "nil"), "{}");
        assert_eq!(unjson(&lua, "'[]'", "nil"), "empty_json_array");
        assert_eq!(
            unjson(&lua, "'[]'", "{parse_empty_array = true}"),
            "empty_json_array"
        );
        assert_eq!(unjson(&lua, "'[ ]'", "{parse_empty_array = false}"), "{}");
        assert_eq!(unjson(&lua, "'{}'", "nil"), "{}");
        assert_eq!(unjson(&lua, "'null'", "{parse_null = true}"), "json_null");
        assert_eq!(
            text(
                &lua,
                r#"local t = textutils.unserializeJSON('{"a": null}', {parse_null = true})
                   return tostring(t.a == textutils.json_null)"#
            ),
            "true"
        );
        assert_eq!(
            text(
                &lua,
                "return select('#', textutils.unserializeJSON('null'))"
            ),
            "1"
        );
        assert_eq!(
            text(&lua, "return tostring(textutils.unserializeJSON('null'))"),
            "nil"
        );
        assert_eq!(unjson(&lua, r#"'{"a":1,"a":null}'"#, "nil"), "{}");
        assert_eq!(unjson(&lua, "'true'", "nil"), "true");
        assert_eq!(unjson(&lua, "'false'", "nil"), "false");
        assert_eq!(
            unjson(&lua, r#"'"\\"\\\\\\/\\b\\f\\n\\r\\t"'"#, "nil"),
            "\"\\\"\\\\/\u{8}\u{c}\\\n\\r\t\""
        );
        // Numbers as `tonumber` reads them (leading zeros, `1.` accepted).
        for (input, expected) in [
            ("1", "1"),
            ("-1.5", "-1.5"),
            ("1e3", "1000"),
            ("2E-2", "0.02"),
            ("01", "1"),
            ("1.", "1"),
            // Lua 5.3+ reads `-0` as the integer 0, as its `tonumber` does.
            (
                "-0",
                if cfg!(any(feature = "lua53", feature = "lua54")) {
                    "0"
                } else {
                    "-0"
                },
            ),
            ("1e400", "1/0"),
            ("12345678901234567890", "1.2345678901235e+19"),
            ("0.1", "0.1"),
        ] {
            assert_eq!(
                unjson(&lua, &format!("'{input}'"), "nil"),
                expected,
                "{input}"
            );
        }
        // \u escapes are encoded one by one (surrogates too), as Lua's utf8.char does.
        assert_eq!(
            bytes(
                &lua,
                r#"return textutils.unserializeJSON('"\\u00e9\\u20AC\\ud83d\\ude00\\u0000"')"#
            ),
            b"\xc3\xa9\xe2\x82\xac\xed\xa0\xbd\xed\xb8\x80\x00".to_vec()
        );
        // Raw bytes (not UTF-8) pass through strings.
        assert_eq!(
            bytes(&lua, "return textutils.unserializeJSON('\"\\255\\128x\"')"),
            b"\xff\x80x".to_vec()
        );
    }

    #[test]
    fn unserialize_json_nbt() {
        let lua = computer();
        assert_eq!(
            text(
                &lua,
                r#"local t = textutils.unserializeJSON([[{a: 1b, b_2: 'x"y', c: [I; 1, 2], d: 1.5f, "e": -3L}]],
                                                       {nbt_style = true})
                   return table.concat({t.a, t.b_2, t.c[1], t.c[2], #t.c, t.d, t.e}, " ")"#
            ),
            r#"1 x"y 1 2 2 1.5 -3"#
        );
        assert_eq!(
            unjson(&lua, "'[B;]'", "{nbt_style = true}"),
            "empty_json_array"
        );
        // Without the option these are errors.
        assert_eq!(
            unjson(&lua, "'{a: 1}'", "nil"),
            r#"nil, Malformed JSON at position 2: Unexpected "a", expected object key."#
        );
        assert_eq!(
            unjson(&lua, "'1b'", "nil"),
            r#"nil, Malformed JSON at position 2: Unexpected trailing character "b"."#
        );
        // A key that is no identifier (CC's parser fails with a Lua error).
        assert_eq!(
            unjson(&lua, "\"{'a': 1}\"", "{nbt_style = true}"),
            r#"nil, Malformed JSON at position 2: Unexpected "'", expected object key."#
        );
    }

    #[test]
    fn unserialize_json_errors() {
        let lua = computer();
        for (input, message) in [
            ("''", "1: Unexpected end of input."),
            ("'   '", "4: Unexpected end of input."),
            ("'[1,2'", "5: Unexpected end of input, expected ',' or ']'."),
            ("'[1 2]'", r#"4: Unexpected "2", expected ',' or ']'."#),
            ("'[1,]'", r#"4: Unexpected character "]"."#),
            ("'['", "2: Unexpected end of input, expected ']'."),
            ("'{'", "2: Unexpected end of input, expected '}'."),
            (r#"'{"a" 1}'"#, r#"6: Unexpected "1", expected ':'."#),
            (
                r#"'{"a":1,}'"#,
                r#"8: Unexpected "}", expected object key."#,
            ),
            (
                r#"'{"a":1'"#,
                "7: Unexpected end of input, expected ',' or '}'.",
            ),
            (r#"'{"a":1]'"#, r#"7: Unexpected "]", expected ',' or '}'."#),
            ("'tru'", r#"1: Unexpected character "t"."#),
            ("'nul'", r#"1: Unexpected character "n"."#),
            ("'x'", r#"1: Unexpected character "x"."#),
            (r#"'"abc'"#, r#"5: Unexpected end of input, expected '"'."#),
            (
                r#"'"a\\'"#,
                "3: Unexpected end of input, expected escape sequence.",
            ),
            (r#"'"a\\qb"'"#, r#"4: Unknown escape character "q"."#),
            (r#"'"\\u12g4"'"#, r#"2: Malformed unicode escape "12g4"."#),
            (r#"'"\\u12"'"#, r#"2: Malformed unicode escape "12\""."#),
            ("'\"a\\tb\"'", "4: Unescaped whitespace \"\t\"."),
            ("'\"a\\nb\"'", "4: Unescaped whitespace \"\\\n\"."),
            ("'\"\\0\"'", "3: Unescaped whitespace \"\\000\"."),
            ("'1 2'", r#"3: Unexpected trailing character "2"."#),
            ("'{} x'", r#"4: Unexpected trailing character "x"."#),
            ("'1e'", r#"1: Malformed number "1e"."#),
            ("'1-'", r#"1: Malformed number "1-"."#),
            ("'[1.5e+]'", r#"2: Malformed number "1.5e+"."#),
            // CC's parser fails here with a Lua error; a message instead.
            ("'-'", r#"1: Malformed number "-"."#),
            ("'[-a]'", r#"2: Malformed number "-"."#),
            // (a byte that is no UTF-8 shows as U+FFFD here)
            ("'\\255'", "1: Unexpected character \"\u{FFFD}\"."),
        ] {
            let got = unjson(&lua, input, "nil");
            assert_eq!(
                got,
                format!("nil, Malformed JSON at position {message}"),
                "{input}"
            );
        }
        assert_eq!(
            error_of(&lua, "textutils.unserializeJSON(5)"),
            "test:1: bad argument #1 to 'unserializeJSON' (string expected, got number)"
        );
        assert_eq!(
            error_of(&lua, "textutils.unserialiseJSON('1', 5)"),
            "test:1: bad argument #2 to 'unserializeJSON' (table expected, got number)"
        );
        assert_eq!(
            error_of(&lua, "textutils.unserializeJSON('1', {parse_null = 1})"),
            "test:1: bad field 'parse_null' (boolean expected, got number)"
        );
    }

    #[test]
    fn unserialize_json_depth_and_size() {
        let lua = computer();
        // Deep but allowed; then too deep (refused with a message, no crash).
        assert_eq!(
            text(
                &lua,
                "local s = string.rep('[', 5000) .. string.rep(']', 5000)\n\
                 local v = textutils.unserializeJSON(s, {parse_empty_array = false})\n\
                 local d = 0 while v[1] do v = v[1] d = d + 1 end return tostring(d)"
            ),
            "4999"
        );
        assert_eq!(
            unjson(&lua, "string.rep('[', 20000)", "nil"),
            format!(
                "nil, Malformed JSON at position {}: Too deeply nested.",
                MAX_DEPTH + 1
            )
        );
        // A large body parses, and round-trips (one key per object: the
        // order of several depends on the state's hash seed).
        assert_eq!(
            text(
                &lua,
                r#"local t = {}
                   for i = 1, 100000 do t[i] = {"item" .. i, i / 7, {id = i}} end
                   local s = textutils.serializeJSON(t)
                   local back = assert(textutils.unserializeJSON(s))
                   assert(#back == 100000 and back[99999][1] == "item99999" and back[5][3].id == 5)
                   return tostring(textutils.serializeJSON(back) == s)"#
            ),
            "true"
        );
    }

    #[test]
    fn json_round_trips() {
        let lua = computer();
        for value in [
            r#"{1, "two", {three = 3}, true, false}"#,
            r#"{a = {b = {c = {1.5, -2, "\0\1\n\"\\"}}}}"#,
            r#"{x = textutils.json_null}"#,
            r#"{y = {textutils.empty_json_array, {}}}"#,
            r#""\127""#,
        ] {
            let code = format!(
                "local s = textutils.serializeJSON({value})\n\
                 local back = textutils.unserializeJSON(s, {{parse_null = true}})\n\
                 local again = textutils.serializeJSON(back)\n\
                 assert(again == s, s .. ' ~= ' .. again)\n\
                 return again"
            );
            text(&lua, &code);
        }
    }

    #[test]
    fn sentinels() {
        let lua = computer();
        assert_eq!(text(&lua, "return tostring(textutils.json_null)"), "null");
        assert_eq!(
            text(&lua, "return tostring(textutils.empty_json_array)"),
            "[]"
        );
        assert_eq!(
            error_of(&lua, "textutils.json_null.x = 1"),
            "test:1: attempt to mutate textutils.json_null"
        );
        assert_eq!(
            error_of(&lua, "textutils.empty_json_array[1] = 1"),
            "test:1: attempt to mutate textutils.empty_json_array"
        );
    }

    #[test]
    fn url_encode() {
        let lua = computer();
        assert_eq!(
            text(
                &lua,
                r#"return textutils.urlEncode("a b&c=d\n~é-_.AZaz09/?%+")"#
            ),
            "a+b%26c%3Dd%0D%0A%7E%C3%83%C2%A9-_.AZaz09%2F%3F%25%2B"
        );
        assert_eq!(
            text(&lua, r#"return textutils.urlEncode("\0\r\127\128\255")"#),
            "%00%0D%7F%C2%80%C3%BF"
        );
        assert_eq!(
            text(&lua, "return select('#', textutils.urlEncode('x y'))"),
            "1"
        );
        assert_eq!(
            error_of(&lua, "textutils.urlEncode(1)"),
            "test:1: bad argument #1 to 'urlEncode' (string expected, got number)"
        );
    }

    #[test]
    fn format_time() {
        let lua = computer();
        for (args, expected) in [
            ("0", "12:00 AM"),
            ("0.5", "12:30 AM"),
            ("6.5", "6:30 AM"),
            ("11.99", "11:59 AM"),
            ("12", "12:00 PM"),
            ("12.75", "12:45 PM"),
            ("13.25", "1:15 PM"),
            ("23.999", "11:59 PM"),
            ("18.5, true", "18:30"),
            ("0, true", "0:00"),
            ("9.05, true", "9:03"),
            ("6.5, false", "6:30 AM"),
        ] {
            assert_eq!(
                text(&lua, &format!("return textutils.formatTime({args})")),
                expected,
                "{args}"
            );
        }
        assert_eq!(
            error_of(&lua, "textutils.formatTime('1')"),
            "test:1: bad argument #1 to 'formatTime' (number expected, got string)"
        );
        assert_eq!(
            error_of(&lua, "textutils.formatTime(1, 1)"),
            "test:1: bad argument #2 to 'formatTime' (boolean expected, got number)"
        );
    }

    #[test]
    fn argument_names_follow_the_call_site_when_debug_is_there() {
        // SAFETY: a plain state with the standard libraries, `debug` included.
        let lua = unsafe { Lua::unsafe_new() };
        install(&lua).unwrap();
        assert_eq!(
            error_of(&lua, "textutils.serialiseJSON(nil)"),
            "test:1: bad argument #1 to 'serialiseJSON' (table, string, number or boolean expected, got nil)"
        );
        assert_eq!(
            error_of(&lua, "local enc = textutils.urlEncode enc(nil)"),
            "test:1: bad argument #1 to 'enc' (string expected, got nil)"
        );
        // Called from C (no name there): the canonical name.
        assert_eq!(
            text(&lua, "return select(2, pcall(textutils.unserialise, 1))"),
            "bad argument #1 to 'unserialize' (string expected, got number)"
        );
        assert_eq!(
            error_of(
                &lua,
                "textutils.serializeJSON(setmetatable({}, {__name = 'thing'}), 1)"
            ),
            "test:1: bad argument #2 to 'serializeJSON' (table or boolean expected, got number)"
        );
        assert_eq!(
            error_of(
                &lua,
                "textutils.unserializeJSON(setmetatable({}, {__name = 'thing'}))"
            ),
            "test:1: bad argument #1 to 'unserializeJSON' (string expected, got thing)"
        );
    }

    #[test]
    fn utf8_decoding_matches_lua() {
        assert_eq!(utf8_decode(b"a"), Some((0x61, 1)));
        assert_eq!(utf8_decode("é".as_bytes()), Some((0xE9, 2)));
        assert_eq!(utf8_decode("😀".as_bytes()), Some((0x1F600, 4)));
        assert_eq!(utf8_decode(b"\xed\xa0\x80"), Some((0xD800, 3)));
        assert_eq!(utf8_decode(b"\xc0\x80"), None);
        assert_eq!(utf8_decode(b"\x80"), None);
        assert_eq!(utf8_decode(b"\xf4\x90\x80\x80"), None);
        assert_eq!(utf8_decode(b"\xf8\x88\x80\x80\x80"), None);
        assert_eq!(utf8_decode(b"\xe2\x82"), None);
    }
}
