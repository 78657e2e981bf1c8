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
//! - `serializeJSON` gives CC: Tweaked's output (`nan`, `inf` for those
//!   numbers, `\u00XX` for bytes 0x7F-0xFF unless `unicode_strings`).
//! - `unserializeJSON` accepts what CC's parser accepts and reports what it
//!   reports (`nil, "Malformed JSON at position N: ..."`), natively, so large
//!   bodies parse fast. **[fix]** Input that crashes CC's parser (`-` with no
//!   digits, an `nbt_style` key that is no identifier) gets a message
//!   instead; nesting deeper than 10000 levels is refused with
//!   `Too deeply nested.`.
//!
//! The walkers live in `textutils.lua`; the natives here parse JSON and
//! escape UTF-8 strings for `unicode_strings`.

use std::borrow::Cow;

use mlua::{Lua, LuaString, Table, Value};

use crate::native::{Outcome, fail_mark, native};

const TEXTUTILS_LUA: &str = include_str!("textutils.lua");

/// JSON nesting deeper than this is refused (the parser keeps one Lua
/// reference per open array or object).
const MAX_DEPTH: usize = 10_000;

/// Set the global `textutils` table of `lua`.
///
/// Functions: `serialize`/`serialise`, `unserialize`/`unserialise`,
/// `serializeJSON`/`serialiseJSON`, `unserializeJSON`/`unserialiseJSON`,
/// `urlEncode`, `formatTime`; values: `empty_json_array`, `json_null`.
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
    let api: Table = lua
        .load(TEXTUTILS_LUA)
        .set_name("=textutils")
        .call((natives, fail_mark()))?;
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
    if cfg!(any(feature = "lua53", feature = "lua54")) && integral {
        if let Ok(n) = text.parse::<i64>() {
            return Some(Value::Integer(n));
        }
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

    #[test]
    fn smoke() {
        let lua = computer();
        assert_eq!(
            text(&lua, "return textutils.serialize({1,2,3})"),
            "{\n  1,\n  2,\n  3,\n}"
        );
    }
}

#[cfg(test)]
mod oracle_scratch {
    use super::*;

    const SETUP: &str = r#"
local src, expect_src = ...
local rawformat, rawfind = string.format, string.find
local qmap = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\\n", ["\r"] = "\\r", ["\0"] = "\\000" }
local function q(s) return '"' .. (s:gsub('[\\"\n\r%z]', qmap)) .. '"' end
string.format = function(fmt, ...)
  if not rawfind(fmt, "%q", 1, true) then return rawformat(fmt, ...) end
  local args = table.pack(...)
  local i = 0
  local f2 = fmt:gsub("%%[%d%.%-]*%a", function(tok)
    i = i + 1
    if tok == "%q" then args[i] = q(args[i]); return "%s" end
  end)
  return rawformat(f2, table.unpack(args, 1, args.n))
end
local env = setmetatable({}, { __index = _G })
local expect_mod = load(expect_src, "=expect", "t", env)()
env.dofile = function() return function(name)
  if name == "cc.expect" then return expect_mod end
  return { wrap = function() end }
end end
load(src, "=rom", "t", env)()
oracle = env
"#;

    const FUZZ: &str = r#"
local mine, oracle = textutils, oracle
local specials = { 0/0, 1/0, -1/0, -0.0, 2^53, 1e15, 123456789012345, 1e-5, 0.1, 1/3, 1e100, -1.5e-300 }
local words = { "a", "b", "and", "goto", "x1", "_", "1x", "a b", "end", "nil", "é", "" }
local function rstr(n)
  local t = {}
  for i = 1, math.random(0, n) do t[i] = string.char(math.random(0, 255)) end
  return table.concat(t)
end
local pool = {}
local function gen(depth, json)
  local r = math.random(1, depth > 3 and 7 or 11)
  if r == 11 then
    local q = math.random(1, 20)
    if q == 1 then return print end
    if q == 2 then return coroutine.create(print) end
    if q <= 5 and #pool > 0 then return pool[math.random(#pool)] end
    if q == 6 then return "n" end
    if q == 7 then return "e" end
    return "w"
  elseif r == 1 then return math.random(-100, 100)
  elseif r == 2 then return (math.random() - 0.5) * 10 ^ math.random(-20, 20)
  elseif r == 3 then return rstr(6)
  elseif r == 4 then return math.random(2) == 1
  elseif r == 5 then local v = specials[math.random(#specials)]; if json and v ~= v then v = 1 end; return v
  elseif r == 6 then return words[math.random(#words)]
  elseif r == 7 then return math.random(0, 2^31)
  else
    local t = {}
    for i = 1, math.random(0, 4) do t[i] = gen(depth + 1, json) end
    for i = 1, math.random(0, 3) do
      local kr = math.random(6)
      local k
      if kr == 1 then k = words[math.random(#words)]
      elseif kr == 2 then k = math.random(-2, 8)
      elseif kr == 3 then k = math.random(2) == 1
      elseif kr == 4 then k = math.random() * 4
      elseif kr == 5 then k = rstr(3)
      else k = words[math.random(#words)] end
      if k ~= "" or true then t[k] = gen(depth + 1, json) end
    end
    pool[#pool + 1] = t
    if math.random(15) == 1 then local p = pool[math.random(#pool)]; p[#p + 1] = t end
    return t
  end
end

local function same(a, b)
  if a == mine.json_null then return b == oracle.json_null end
  if a == mine.empty_json_array then return b == oracle.empty_json_array end
  if type(a) ~= type(b) then return false end
  if type(a) == "number" then
    if a ~= a then return b ~= b end
    return a == b and 1/a == 1/b
  end
  if type(a) ~= "table" then return a == b end
  local n = 0
  for k, v in pairs(a) do n = n + 1; if not same(v, b[k]) then return false end end
  for _ in pairs(b) do n = n - 1 end
  return n == 0
end

local function cmp(what, f1, f2, ...)
  local r1 = table.pack(pcall(f1, ...))
  local r2 = table.pack(pcall(f2, ...))
  if r1[1] ~= r2[1] or r1.n ~= r2.n then
    error(what .. ": status/count differ: " .. tostring(r1[2]) .. " | " .. tostring(r2[2]) .. " | " .. r1.n .. " " .. r2.n, 0)
  end
  for i = 2, r1.n do
    local a, b = r1[i], r2[i]
    if type(a) == "string" and type(b) == "string" then
      b = b:gsub("%-nan", "nan")
      a = a:gsub(" to '%w+'", "")
    end
    if not same(a, b) then
      error(what .. ": differ:\n" .. tostring(a) .. "\n----\n" .. tostring(b), 0)
    end
  end
  return r1
end

local count = 0
for seed = 1, 3000 do
  math.randomseed(seed)
  pool = {}
  local v = gen(0, false)
  for _, opts in ipairs({ false, { compact = true }, { allow_repetitions = true } }) do
    cmp("serialize " .. seed, mine.serialize, oracle.serialize, v, opts or nil)
  end
  local sok, s = pcall(mine.serialize, v, { allow_repetitions = true })
  if sok then cmp("unserialize " .. seed, function(x) return mine.serialize(mine.unserialize(x), { allow_repetitions = true }) end,
      function(x) return oracle.serialize(oracle.unserialize(x), { allow_repetitions = true }) end, s) end
  pool = {}
  local j = gen(0, true)
  for _, opts in ipairs({ false, true, { nbt_style = true }, { allow_repetitions = true } }) do
    local r = cmp("json " .. seed, mine.serializeJSON, oracle.serializeJSON, j, opts or nil)
    if r[1] then
      local text = r[2]
      -- mutate
      local texts = { text }
      for m = 1, 4 do
        local p = math.random(1, #text + 1)
        local kind = math.random(3)
        local set = '"{}[],:\\ u0123456789eE.-+tfnl\'abcIB;\n\t\0\200'
        local c = set:sub(math.random(#set), math.random(#set))
        if kind == 1 then texts[#texts + 1] = text:sub(1, p - 1) .. text:sub(p + 1)
        elseif kind == 2 then texts[#texts + 1] = text:sub(1, p - 1) .. c .. text:sub(p)
        else texts[#texts + 1] = text:sub(1, p) end
      end
      for _, t in ipairs(texts) do
        for _, o in ipairs({ {}, { parse_null = true }, { nbt_style = true }, { parse_empty_array = false } }) do
          local ok = pcall(oracle.unserializeJSON, t, o)
          if ok then
            cmp("unjson " .. seed .. " " .. string.format("%q", t), mine.unserializeJSON, oracle.unserializeJSON, t, o)
            count = count + 1
          end
        end
      end
    end
  end
end

local function chk(code)
  local f1 = load("local textutils = ... " .. code, "=c", "t", _ENV)
  local ok1, e1 = pcall(f1, mine)
  local ok2, e2 = pcall(f1, oracle)
  if ok1 ~= ok2 or e1 ~= e2 then error("args differ: " .. code .. "\n" .. tostring(e1) .. "\n" .. tostring(e2), 0) end
end
for _, code in ipairs({
  "textutils.serialize({}, 5)", "textutils.serialise({}, 'x')", "textutils.serialize({}, {compact = 1})",
  "textutils.serialize({}, {allow_repetitions = {}})", "textutils.unserialize(5)", "textutils.unserialise()",
  "textutils.serializeJSON()", "textutils.serialiseJSON(print)", "textutils.serializeJSON({}, 5)",
  "textutils.serializeJSON({}, {nbt_style = 1})", "textutils.serializeJSON({}, {unicode_strings = 1})",
  "textutils.serializeJSON({}, {allow_repetitions = 'no'})", "textutils.unserializeJSON(5)",
  "textutils.unserialiseJSON('1', 5)", "textutils.unserializeJSON('1', {nbt_style = 0})",
  "textutils.unserializeJSON('1', {parse_null = 0})", "textutils.unserializeJSON('1', {parse_empty_array = 0})",
  "textutils.urlEncode(1)", "textutils.formatTime('1')", "textutils.formatTime(1, 1)",
  "local s = textutils.serialize; s({}, 1)", "textutils.serializeJSON(setmetatable({}, {__name = 'thing'}), 1)",
  "textutils.serializeJSON({}, setmetatable({}, {__name = 'thing', __index = function() return 1 end}))",
  "return textutils.serialize(print)", "return textutils.serializeJSON({print})",
  "textutils.json_null.x = 1", "textutils.empty_json_array[1] = 1",
}) do chk(code) end
for _, t in ipairs({0, 0.5, 6.5, 11.99, 12, 12.5, 13, 13.25, 18.5, 23.999, 24, -1, 25.5}) do
  for _, b in ipairs({false, true}) do
    local a1, a2 = mine.formatTime(t, b), oracle.formatTime(t, b)
    if a1 ~= a2 then error("formatTime " .. t .. " " .. tostring(b) .. ": " .. a1 .. " vs " .. a2, 0) end
  end
end
local set = '"{}[],:\\ u0123456789eE.-+tfnrul\'abcIBLbsdf;\n\t\0\200'
for seed = 1, 200000 do
  math.randomseed(seed)
  local t = {}
  for i = 1, math.random(0, 12) do local p = math.random(#set); t[i] = set:sub(p, p) end
  t = table.concat(t)
  for _, o in ipairs({ {}, { nbt_style = true } }) do
    if pcall(oracle.unserializeJSON, t, o) then
      cmp("rand " .. string.format("%q", t), mine.unserializeJSON, oracle.unserializeJSON, t, o)
      count = count + 1
    end
  end
end
for seed = 1, 200 do
  math.randomseed(seed)
  local s = rstr(20) .. "\n a-_.~"
  if mine.urlEncode(s) ~= oracle.urlEncode(s) then error("urlEncode " .. seed, 0) end
end
return tostring(count)
"#;

    #[test]
    fn against_rom() {
        let lua = unsafe { Lua::unsafe_new() };
        install(&lua).unwrap();
        let _: () = lua
            .load(SETUP)
            .call((
                std::fs::read_to_string("/tmp/cpc_tu.lua").unwrap(),
                std::fs::read_to_string("/tmp/cpc_expect.lua").unwrap(),
            ))
            .unwrap();
        let n: String = lua.load(FUZZ).set_name("=fuzz").eval().unwrap();
        eprintln!("json compared: {n}");
    }
}
