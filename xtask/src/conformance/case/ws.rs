//! The WebSocket parts of a case: `[[ws]]` blocks (one scripted connection
//! each: a handshake, then an ordered list of actions) and `[[ws_concurrent]]`
//! blocks (many clients echoing numbered messages), validated and decoded.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use serde::Deserialize;

use super::{Expectation, field};

/// How long an `expect_*` action waits by default.
pub(crate) const DEFAULT_WAIT: Duration = Duration::from_secs(5);
/// Upper bound for the bytes of one payload after `repeat`.
const MAX_PAYLOAD: usize = 64 * 1024 * 1024;
/// Upper bound for `clients` of a `[[ws_concurrent]]` block.
const MAX_CLIENTS: usize = 1000;
/// Upper bound for `messages` of a `[[ws_concurrent]]` block.
const MAX_MESSAGES: usize = 100_000;
/// Default handshake path.
const DEFAULT_PATH: &str = "/";
/// Default message of a `[[ws_concurrent]]` block.
const DEFAULT_MESSAGE: &str = "client {i} message {j}";

/// One `[[ws]]` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WsBlock {
    /// The connection's name: a later block with the same `id` continues it.
    pub(crate) id: Option<String>,
    /// The handshake, or `None` when the block continues connection `id`.
    pub(crate) open: Option<Handshake>,
    /// What to do on the connection, in order.
    pub(crate) actions: Vec<WsAction>,
    /// Whether the connection is still usable after the block (no `drop`,
    /// `expect_eof` or failed handshake).
    pub(crate) stays_open: bool,
}

/// The opening handshake of a `[[ws]]` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Handshake {
    /// Request-target.
    pub(crate) path: Vec<u8>,
    /// Extra request headers; a name given here replaces the default header
    /// of that name (any case).
    pub(crate) headers: Vec<(String, Vec<u8>)>,
    /// Pause before connecting.
    pub(crate) delay: Duration,
    /// The expected response (`status` defaults to 101).
    pub(crate) expect: Expectation,
    /// Expect no response at all: the connection is refused, or closed
    /// before any byte of a response.
    pub(crate) refused: bool,
}

impl Handshake {
    /// Whether the connection is expected to be upgraded.
    pub(crate) fn upgrades(&self) -> bool {
        !self.refused && self.expect.status == Some(101)
    }
}

/// A frame the harness sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutFrame {
    /// Opcode, 0-15.
    pub(crate) opcode: u8,
    /// FIN bit.
    pub(crate) fin: bool,
    /// RSV1-3 as a 3-bit number (RSV1 is the high bit).
    pub(crate) rsv: u8,
    /// Whether the frame is masked (clients must mask).
    pub(crate) masked: bool,
    /// Unmasked payload.
    pub(crate) payload: Vec<u8>,
}

/// What a close frame the harness expects must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CloseExpect {
    /// This code, and this exact reason if given.
    Code(u16, Option<Vec<u8>>),
    /// An empty payload.
    NoCode,
    /// Any close frame.
    Any,
}

/// What the next thing received must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expected {
    /// A text message in one frame with exactly these bytes.
    Text(Vec<u8>),
    /// A binary message in one frame with exactly these bytes.
    Binary(Vec<u8>),
    /// A pong with exactly this payload.
    Pong(Vec<u8>),
    /// A close frame.
    Close(CloseExpect),
    /// The end of the TCP stream (or a reset), with no frame before it.
    Eof,
}

/// One action of a `[[ws]]` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WsAction {
    /// Send a frame.
    Send(OutFrame),
    /// Write exact bytes to the TCP stream.
    Raw(Vec<u8>),
    /// Close the TCP connection without a close frame.
    Drop,
    /// Pause.
    Sleep(Duration),
    /// Wait (up to `max`) for the next thing received and check it.
    Expect {
        /// What it must be.
        what: Expected,
        /// How long to wait for it.
        max: Duration,
    },
    /// Nothing (no frame, no EOF) may arrive for this long.
    Silence(Duration),
}

/// One `[[ws_concurrent]]` block: `clients` connections at once, each
/// sending `messages` messages and expecting each echoed back in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WsConcurrent {
    /// Number of simultaneous clients.
    pub(crate) clients: usize,
    /// Messages each client sends.
    pub(crate) messages: usize,
    /// Handshake path, with `{i}` still to substitute.
    pub(crate) path: Vec<u8>,
    /// Message sent, with `{i}` (client) and `{j}` (message) to substitute.
    pub(crate) send: Vec<u8>,
    /// Message expected back, with `{i}` and `{j}` to substitute.
    pub(crate) expect: Vec<u8>,
    /// Send binary messages (and expect binary ones) instead of text.
    pub(crate) binary: bool,
}

/// A `[[ws]]` block as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWs {
    id: Option<String>,
    path: Option<String>,
    headers: Option<BTreeMap<String, String>>,
    status: Option<u16>,
    response_headers: Option<BTreeMap<String, String>>,
    response_headers_absent: Option<Vec<String>>,
    delay_ms: Option<u64>,
    refused: Option<bool>,
    #[serde(default)]
    actions: Vec<RawAction>,
}

/// `close` / `expect_close`: a code or a word.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawClose {
    Code(i64),
    Word(String),
}

/// `opcode`: a number or a name.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawOpcode {
    Number(i64),
    Name(String),
}

/// One action as written: a table naming exactly one verb, plus the
/// modifiers that verb takes.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    send_text: Option<String>,
    send_binary: Option<String>,
    send_frame: Option<String>,
    send_raw: Option<String>,
    ping: Option<String>,
    pong: Option<String>,
    close: Option<RawClose>,
    drop: Option<bool>,
    sleep_ms: Option<u64>,
    expect_text: Option<String>,
    expect_binary: Option<String>,
    expect_pong: Option<String>,
    expect_close: Option<RawClose>,
    expect_eof: Option<bool>,
    expect_silence_ms: Option<u64>,
    repeat: Option<usize>,
    reason: Option<String>,
    opcode: Option<RawOpcode>,
    fin: Option<bool>,
    rsv: Option<u8>,
    mask: Option<bool>,
    max_ms: Option<u64>,
}

/// A `[[ws_concurrent]]` block as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWsConcurrent {
    clients: usize,
    messages: usize,
    path: Option<String>,
    send: Option<String>,
    expect: Option<String>,
    #[serde(default)]
    binary: bool,
}

/// Validates the `[[ws]]` blocks in order (ids must refer to open
/// connections of earlier blocks).
pub(super) fn blocks(raw: Vec<RawWs>) -> Result<Vec<WsBlock>, String> {
    let mut open: HashSet<String> = HashSet::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(raw.len());
    for (index, block) in raw.into_iter().enumerate() {
        let block = block
            .validate(&open, &used)
            .map_err(|err| format!("ws block {}: {err}", index + 1))?;
        if let Some(id) = &block.id {
            used.insert(id.clone());
            if block.stays_open {
                open.insert(id.clone());
            } else {
                open.remove(id);
            }
        }
        out.push(block);
    }
    Ok(out)
}

impl RawWs {
    /// Checks one block given the ids of connections still open and of all
    /// ids used before.
    fn validate(self, open: &HashSet<String>, used: &HashSet<String>) -> Result<WsBlock, String> {
        let continues = self.id.as_ref().is_some_and(|id| open.contains(id));
        if let Some(id) = &self.id
            && !continues
            && used.contains(id)
        {
            return Err(format!(
                "connection `id = {id:?}` was ended by an earlier block and cannot be continued"
            ));
        }
        let handshake_fields = [
            ("path", self.path.is_some()),
            ("headers", self.headers.is_some()),
            ("status", self.status.is_some()),
            ("response_headers", self.response_headers.is_some()),
            (
                "response_headers_absent",
                self.response_headers_absent.is_some(),
            ),
            ("delay_ms", self.delay_ms.is_some()),
            ("refused", self.refused.is_some()),
        ];
        let open = if continues {
            if let Some((name, _)) = handshake_fields.iter().find(|(_, set)| *set) {
                return Err(format!(
                    "`{name}` belongs to a handshake, but this block continues connection {:?}",
                    self.id.as_deref().unwrap_or_default()
                ));
            }
            None
        } else {
            Some(self.handshake()?)
        };
        let upgrades = open.as_ref().is_none_or(Handshake::upgrades);
        if !upgrades && !self.actions.is_empty() {
            return Err(
                "`actions` need an upgraded connection (`status` 101, not `refused`)".to_owned(),
            );
        }
        let mut actions = Vec::with_capacity(self.actions.len());
        let mut ended = !upgrades;
        for (index, raw) in self.actions.into_iter().enumerate() {
            if ended {
                return Err(format!(
                    "action {}: the connection was already ended by `drop` or `expect_eof`",
                    index + 1
                ));
            }
            let action = raw
                .validate()
                .map_err(|err| format!("action {}: {err}", index + 1))?;
            ended = matches!(
                action,
                WsAction::Drop
                    | WsAction::Expect {
                        what: Expected::Eof,
                        ..
                    }
            );
            actions.push(action);
        }
        Ok(WsBlock {
            id: self.id,
            open,
            actions,
            stays_open: !ended,
        })
    }

    /// The handshake fields, decoded.
    fn handshake(&self) -> Result<Handshake, String> {
        let path = field("path", self.path.as_deref().unwrap_or(DEFAULT_PATH))?;
        if path.is_empty() || path.iter().any(|b| b.is_ascii_whitespace()) {
            return Err("`path` must be non-empty and without whitespace".to_owned());
        }
        let request_headers = headers("headers", self.headers.as_ref())?;
        let refused = self.refused == Some(true);
        if refused
            && (self.status.is_some()
                || self.response_headers.is_some()
                || self.response_headers_absent.is_some())
        {
            return Err("`refused = true` expects no response to check".to_owned());
        }
        let status = self.status.unwrap_or(101);
        if !(100..=999).contains(&status) {
            return Err(format!("`status` = {status} is not a status code"));
        }
        Ok(Handshake {
            path,
            headers: request_headers,
            delay: Duration::from_millis(self.delay_ms.unwrap_or(0)),
            expect: Expectation {
                status: Some(status),
                headers: headers("response_headers", self.response_headers.as_ref())?,
                headers_absent: self.response_headers_absent.clone().unwrap_or_default(),
                ..Expectation::default()
            },
            refused,
        })
    }
}

/// Decodes a table of header name -> escaped value.
fn headers(
    what: &str,
    table: Option<&BTreeMap<String, String>>,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    table
        .into_iter()
        .flatten()
        .map(|(name, value)| Ok((name.clone(), field(&format!("{what}.{name}"), value)?)))
        .collect()
}

impl RawAction {
    /// Checks one action: exactly one verb, and only the modifiers it takes.
    fn validate(self) -> Result<WsAction, String> {
        let verbs = [
            ("send_text", self.send_text.is_some()),
            ("send_binary", self.send_binary.is_some()),
            ("send_frame", self.send_frame.is_some()),
            ("send_raw", self.send_raw.is_some()),
            ("ping", self.ping.is_some()),
            ("pong", self.pong.is_some()),
            ("close", self.close.is_some()),
            ("drop", self.drop.is_some()),
            ("sleep_ms", self.sleep_ms.is_some()),
            ("expect_text", self.expect_text.is_some()),
            ("expect_binary", self.expect_binary.is_some()),
            ("expect_pong", self.expect_pong.is_some()),
            ("expect_close", self.expect_close.is_some()),
            ("expect_eof", self.expect_eof.is_some()),
            ("expect_silence_ms", self.expect_silence_ms.is_some()),
        ];
        let named: Vec<&str> = verbs.iter().filter(|(_, s)| *s).map(|(n, _)| *n).collect();
        let verb = match named.as_slice() {
            [verb] => *verb,
            [] => {
                return Err(
                    "names no verb (send_text, send_binary, send_frame, send_raw, ping, pong, \
                     close, drop, sleep_ms, expect_text, expect_binary, expect_pong, \
                     expect_close, expect_eof, expect_silence_ms)"
                        .to_owned(),
                );
            }
            several => return Err(format!("`{}` exclude each other", several.join("`, `"))),
        };
        let takes: &[&str] = match verb {
            "send_text" | "send_binary" | "ping" | "pong" | "expect_pong" => &["repeat"],
            "expect_text" | "expect_binary" => &["repeat", "max_ms"],
            "send_frame" => &["repeat", "opcode", "fin", "rsv", "mask"],
            "close" => &["reason"],
            "expect_close" => &["reason", "max_ms"],
            "expect_eof" => &["max_ms"],
            _ => &[],
        };
        let modifiers = [
            ("repeat", self.repeat.is_some()),
            ("reason", self.reason.is_some()),
            ("opcode", self.opcode.is_some()),
            ("fin", self.fin.is_some()),
            ("rsv", self.rsv.is_some()),
            ("mask", self.mask.is_some()),
            ("max_ms", self.max_ms.is_some()),
        ];
        if let Some((name, _)) = modifiers
            .iter()
            .find(|(name, set)| *set && !takes.contains(name))
        {
            return Err(format!("`{name}` does not apply to `{verb}`"));
        }
        let max = self.max_ms.map_or(DEFAULT_WAIT, Duration::from_millis);
        let expect = |what| Ok(WsAction::Expect { what, max });
        let payload = |text: &Option<String>| -> Result<Vec<u8>, String> {
            let text = text.as_deref().unwrap_or_default();
            repeat(field(verb, text)?, self.repeat)
        };
        let frame = |opcode, payload| {
            WsAction::Send(OutFrame {
                opcode,
                fin: true,
                rsv: 0,
                masked: true,
                payload,
            })
        };
        match verb {
            "send_text" => Ok(frame(1, payload(&self.send_text)?)),
            "send_binary" => Ok(frame(2, payload(&self.send_binary)?)),
            "ping" => Ok(frame(9, payload(&self.ping)?)),
            "pong" => Ok(frame(10, payload(&self.pong)?)),
            "send_frame" => {
                let opcode = match &self.opcode {
                    None => return Err("`send_frame` needs `opcode`".to_owned()),
                    Some(raw) => opcode(raw)?,
                };
                let rsv = self.rsv.unwrap_or(0);
                if rsv > 7 {
                    return Err(format!("`rsv` = {rsv} is not a 3-bit number (0-7)"));
                }
                Ok(WsAction::Send(OutFrame {
                    opcode,
                    fin: self.fin.unwrap_or(true),
                    rsv,
                    masked: self.mask.unwrap_or(true),
                    payload: payload(&self.send_frame)?,
                }))
            }
            "send_raw" => Ok(WsAction::Raw(payload(&self.send_raw)?)),
            "close" => {
                let payload = match close(self.close.as_ref(), self.reason.as_deref())? {
                    CloseExpect::Code(code, reason) => {
                        [&code.to_be_bytes()[..], &reason.unwrap_or_default()].concat()
                    }
                    CloseExpect::NoCode => Vec::new(),
                    CloseExpect::Any => {
                        return Err("`close = \"any\"` is for `expect_close`".to_owned());
                    }
                };
                Ok(frame(8, payload))
            }
            "drop" => match self.drop {
                Some(true) => Ok(WsAction::Drop),
                _ => Err("`drop` must be true".to_owned()),
            },
            "sleep_ms" => Ok(WsAction::Sleep(Duration::from_millis(
                self.sleep_ms.unwrap_or_default(),
            ))),
            "expect_text" => expect(Expected::Text(payload(&self.expect_text)?)),
            "expect_binary" => expect(Expected::Binary(payload(&self.expect_binary)?)),
            "expect_pong" => expect(Expected::Pong(payload(&self.expect_pong)?)),
            "expect_close" => expect(Expected::Close(close(
                self.expect_close.as_ref(),
                self.reason.as_deref(),
            )?)),
            "expect_eof" => match self.expect_eof {
                Some(true) => expect(Expected::Eof),
                _ => Err("`expect_eof` must be true".to_owned()),
            },
            "expect_silence_ms" => match self.expect_silence_ms {
                Some(0) | None => Err("`expect_silence_ms` must be more than 0".to_owned()),
                Some(ms) => Ok(WsAction::Silence(Duration::from_millis(ms))),
            },
            other => unreachable!("verb {other} is listed above"),
        }
    }
}

/// `payload` repeated `times` times (once if `None`), bounded in size.
fn repeat(payload: Vec<u8>, times: Option<usize>) -> Result<Vec<u8>, String> {
    let Some(times) = times else {
        return Ok(payload);
    };
    if times == 0 {
        return Err("`repeat` must be at least 1".to_owned());
    }
    if payload.len().saturating_mul(times) > MAX_PAYLOAD {
        return Err(format!(
            "the payload repeated is more than {MAX_PAYLOAD} bytes"
        ));
    }
    Ok(payload.repeat(times))
}

/// Decodes `opcode`: 0-15 or one of the names.
fn opcode(raw: &RawOpcode) -> Result<u8, String> {
    match raw {
        RawOpcode::Number(n) => u8::try_from(*n)
            .ok()
            .filter(|n| *n <= 15)
            .ok_or_else(|| format!("`opcode` = {n} is not 0-15")),
        RawOpcode::Name(name) => match name.as_str() {
            "continuation" => Ok(0),
            "text" => Ok(1),
            "binary" => Ok(2),
            "close" => Ok(8),
            "ping" => Ok(9),
            "pong" => Ok(10),
            other => Err(format!(
                "`opcode` = {other:?} is not a number (0-15) or continuation, text, binary, \
                 close, ping, pong"
            )),
        },
    }
}

/// Decodes `close` / `expect_close` with its `reason`.
fn close(raw: Option<&RawClose>, reason: Option<&str>) -> Result<CloseExpect, String> {
    let reason = reason.map(|r| field("reason", r)).transpose()?;
    let with_code = |what: &str| {
        if reason.is_some() {
            Err(format!("`reason` needs a close code, not {what:?}"))
        } else {
            Ok(())
        }
    };
    match raw {
        Some(RawClose::Code(code)) => {
            let code =
                u16::try_from(*code).map_err(|_| format!("close code {code} is not 0-65535"))?;
            Ok(CloseExpect::Code(code, reason))
        }
        Some(RawClose::Word(word)) if word == "no code" => {
            with_code(word)?;
            Ok(CloseExpect::NoCode)
        }
        Some(RawClose::Word(word)) if word == "any" => {
            with_code(word)?;
            Ok(CloseExpect::Any)
        }
        Some(RawClose::Word(word)) => Err(format!(
            "a close must be a code or \"no code\" (or \"any\" to expect), not {word:?}"
        )),
        None => unreachable!("called for a close verb"),
    }
}

impl RawWsConcurrent {
    /// Checks a `[[ws_concurrent]]` block.
    pub(super) fn validate(self) -> Result<WsConcurrent, String> {
        if self.clients == 0 || self.clients > MAX_CLIENTS {
            return Err(format!("`clients` must be between 1 and {MAX_CLIENTS}"));
        }
        if self.messages > MAX_MESSAGES {
            return Err(format!("`messages` must be at most {MAX_MESSAGES}"));
        }
        let send = field("send", self.send.as_deref().unwrap_or(DEFAULT_MESSAGE))?;
        let expect = match &self.expect {
            Some(text) => field("expect", text)?,
            None => send.clone(),
        };
        if !self.binary && (std::str::from_utf8(&send).is_err()) {
            return Err("`send` is not UTF-8 (set `binary = true`)".to_owned());
        }
        Ok(WsConcurrent {
            clients: self.clients,
            messages: self.messages,
            path: field("path", self.path.as_deref().unwrap_or(DEFAULT_PATH))?,
            send,
            expect,
            binary: self.binary,
        })
    }
}

/// Replaces every `{i}` by `i` and every `{j}` by `j`.
pub(crate) fn substitute_ij(bytes: &[u8], i: usize, j: usize) -> Vec<u8> {
    let with_i = super::substitute(bytes, i);
    let index = j.to_string();
    let mut out = Vec::with_capacity(with_i.len());
    let mut rest = with_i.as_slice();
    while !rest.is_empty() {
        if rest.starts_with(b"{j}") {
            out.extend_from_slice(index.as_bytes());
            rest = &rest[3..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Case, parse};
    use super::*;

    fn case(toml: &str) -> Result<Case, String> {
        parse(&format!(
            "--[==[case\nclauses = [\"W1\"]\n{toml}\n]==]\nprint('hi')\n"
        ))
    }

    fn actions(list: &str) -> Result<Vec<WsAction>, String> {
        let case = case(&format!("[[ws]]\nactions = [\n{list}\n]"))?;
        Ok(case.ws[0].actions.clone())
    }

    fn send(opcode: u8, payload: &[u8]) -> WsAction {
        WsAction::Send(OutFrame {
            opcode,
            fin: true,
            rsv: 0,
            masked: true,
            payload: payload.to_vec(),
        })
    }

    /// The WebSocket example in tests/conformance/README.md must stay valid.
    #[test]
    fn parses_the_readme_example() {
        let readme = include_str!("../../../../tests/conformance/README.md");
        let start = readme.find("```toml\n").expect("README has a toml example") + 8;
        let len = readme[start..].find("```").expect("example is closed");
        let case = case(&readme[start..start + len]).unwrap();
        let block = &case.ws[0];
        assert_eq!(block.id.as_deref(), Some("a"));
        let open = block.open.as_ref().unwrap();
        assert_eq!(open.path, b"/chat?x=1");
        assert_eq!(open.headers.len(), 2);
        assert!(open.upgrades());
        assert_eq!(block.actions.len(), 16);
        assert!(!block.stays_open);
        assert_eq!(block.actions[1], send(2, b"\x00\xff\x00\xff\x00\xff"));
        let concurrent = &case.ws_concurrent[0];
        assert_eq!((concurrent.clients, concurrent.messages), (20, 50));
    }

    #[test]
    fn default_handshake() {
        let case = case("[[ws]]").unwrap();
        let block = &case.ws[0];
        let open = block.open.as_ref().unwrap();
        assert_eq!(open.path, b"/");
        assert!(open.headers.is_empty());
        assert_eq!(open.expect.status, Some(101));
        assert!(open.upgrades());
        assert!(block.actions.is_empty() && block.stays_open && block.id.is_none());
    }

    #[test]
    fn handshake_fields() {
        let case = case(
            "[[ws]]\npath = '/a?b=\\x41'\nheaders = { Origin = 'http://x' }\nstatus = 403\n\
             response_headers = { \"X-A\" = '1' }\nresponse_headers_absent = ['Upgrade']\n\
             delay_ms = 7",
        )
        .unwrap();
        let open = case.ws[0].open.clone().unwrap();
        assert_eq!(open.path, b"/a?b=A");
        assert_eq!(open.headers, [("Origin".to_owned(), b"http://x".to_vec())]);
        assert_eq!(open.expect.status, Some(403));
        assert_eq!(open.expect.headers, [("X-A".to_owned(), b"1".to_vec())]);
        assert_eq!(open.expect.headers_absent, ["Upgrade"]);
        assert_eq!(open.delay, Duration::from_millis(7));
        assert!(!open.upgrades() && !open.refused);
        assert!(!case.ws[0].stays_open);
        let refused = self::case("[[ws]]\nrefused = true").unwrap();
        let open = refused.ws[0].open.clone().unwrap();
        assert!(open.refused && !open.upgrades() && !refused.ws[0].stays_open);
    }

    #[test]
    fn every_verb() {
        let got = actions(
            "{ send_text = 'h\\xffi' }, { send_binary = '\\x00', repeat = 3 },\n\
             { send_frame = 'ab', opcode = 'text', fin = false, rsv = 4, mask = false },\n\
             { send_frame = '', opcode = 11 }, { send_raw = '\\x88\\x80' },\n\
             { ping = 'p' }, { pong = '' }, { close = 1000, reason = 'bye' },\n\
             { close = 'no code' }, { sleep_ms = 5 },\n\
             { expect_text = 'x', max_ms = 50 }, { expect_binary = 'ab', repeat = 2 },\n\
             { expect_pong = 'p' }, { expect_close = 1009, reason = 'Message too large' },\n\
             { expect_close = 'no code' }, { expect_close = 'any' }, { expect_close = 1000 },\n\
             { expect_silence_ms = 100 }, { expect_eof = true }",
        )
        .unwrap();
        let wait = |what| WsAction::Expect {
            what,
            max: DEFAULT_WAIT,
        };
        assert_eq!(
            got,
            [
                send(1, b"h\xffi"),
                send(2, b"\0\0\0"),
                WsAction::Send(OutFrame {
                    opcode: 1,
                    fin: false,
                    rsv: 4,
                    masked: false,
                    payload: b"ab".to_vec()
                }),
                send(11, b""),
                WsAction::Raw(b"\x88\x80".to_vec()),
                send(9, b"p"),
                send(10, b""),
                send(8, b"\x03\xe8bye"),
                send(8, b""),
                WsAction::Sleep(Duration::from_millis(5)),
                WsAction::Expect {
                    what: Expected::Text(b"x".to_vec()),
                    max: Duration::from_millis(50)
                },
                wait(Expected::Binary(b"abab".to_vec())),
                wait(Expected::Pong(b"p".to_vec())),
                wait(Expected::Close(CloseExpect::Code(
                    1009,
                    Some(b"Message too large".to_vec())
                ))),
                wait(Expected::Close(CloseExpect::NoCode)),
                wait(Expected::Close(CloseExpect::Any)),
                wait(Expected::Close(CloseExpect::Code(1000, None))),
                WsAction::Silence(Duration::from_millis(100)),
                wait(Expected::Eof),
            ]
        );
    }

    #[test]
    fn rejects_bad_actions() {
        let bad = [
            ("{ }", "names no verb"),
            ("{ send_text = 'a', ping = 'b' }", "exclude"),
            ("{ send_text = 'a', max_ms = 5 }", "`max_ms` does not apply"),
            ("{ send_frame = 'a' }", "needs `opcode`"),
            ("{ send_frame = 'a', opcode = 16 }", "0-15"),
            ("{ send_frame = 'a', opcode = 'data' }", "opcode"),
            ("{ send_frame = 'a', opcode = 1, rsv = 8 }", "rsv"),
            ("{ close = 70000 }", "0-65535"),
            ("{ close = 'any' }", "expect_close"),
            ("{ close = 'no code', reason = 'x' }", "needs a close code"),
            ("{ close = 'later' }", "a close must be"),
            ("{ drop = false }", "must be true"),
            ("{ expect_eof = true }, { ping = '' }", "already ended"),
            ("{ drop = true }, { ping = '' }", "already ended"),
            ("{ expect_silence_ms = 0 }", "more than 0"),
            ("{ send_text = 'a', repeat = 0 }", "at least 1"),
            ("{ send_text = '\\q' }", "unknown escape"),
            ("{ send_text = 'a', bogus = 1 }", "bogus"),
        ];
        for (list, needle) in bad {
            let err = actions(list).unwrap_err();
            assert!(err.contains(needle), "{list}: {err}");
        }
    }

    #[test]
    fn ids_continue_open_connections() {
        let parsed = case(
            "[[ws]]\nid = 'a'\nactions = [{ ping = '' }]\n\
             [[ws]]\nactions = [{ drop = true }]\n\
             [[ws]]\nid = 'a'\nactions = [{ expect_eof = true }]",
        )
        .unwrap();
        let ws = &parsed.ws;
        assert!(ws[0].open.is_some() && ws[0].stays_open);
        assert!(ws[1].open.is_some() && !ws[1].stays_open);
        assert!(ws[2].open.is_none() && !ws[2].stays_open);
        let bad = [
            (
                "[[ws]]\nid = 'a'\nactions = [{ drop = true }]\n[[ws]]\nid = 'a'",
                "cannot be continued",
            ),
            (
                "[[ws]]\nid = 'a'\n[[ws]]\nid = 'a'\npath = '/x'",
                "continues connection",
            ),
            (
                "[[ws]]\nstatus = 403\nactions = [{ ping = '' }]",
                "need an upgraded",
            ),
            ("[[ws]]\npath = 'a b'", "whitespace"),
            ("[[ws]]\nrefused = true\nstatus = 403", "no response"),
            (
                "[[ws]]\nrefused = true\nactions = [{ ping = '' }]",
                "need an upgraded",
            ),
            ("[[ws]]\nstatus = 1000", "not a status"),
        ];
        for (toml, needle) in bad {
            let err = case(toml).unwrap_err();
            assert!(err.starts_with("ws block"), "{err}");
            assert!(err.contains(needle), "{toml}: {err}");
        }
    }

    #[test]
    fn concurrent_blocks() {
        let first = case("[[ws_concurrent]]\nclients = 3\nmessages = 4").unwrap();
        let block = &first.ws_concurrent[0];
        assert_eq!((block.clients, block.messages, block.binary), (3, 4, false));
        assert_eq!(block.send, block.expect);
        assert_eq!(substitute_ij(&block.send, 2, 3), b"client 2 message 3");
        let second = case(
            "[[ws_concurrent]]\nclients = 1\nmessages = 1\npath = '/{i}'\nsend = '\\xff{j}'\n\
             expect = 'e{i}'\nbinary = true",
        )
        .unwrap();
        let block = &second.ws_concurrent[0];
        assert_eq!(substitute_ij(&block.path, 7, 0), b"/7");
        assert_eq!(substitute_ij(&block.send, 0, 12), b"\xff12");
        assert_eq!(block.expect, b"e{i}");
        for (toml, needle) in [
            ("clients = 0\nmessages = 1", "clients"),
            ("clients = 1\nmessages = 1000000", "messages"),
            ("clients = 1\nmessages = 1\nsend = '\\xff'", "UTF-8"),
            ("clients = 1", "messages"),
        ] {
            let err = case(&format!("[[ws_concurrent]]\n{toml}")).unwrap_err();
            assert!(err.contains(needle), "{toml}: {err}");
        }
    }
}
