//! Parsing a case file: the `--[==[case ... ]==]` TOML block at the top of
//! a Lua script, validated and with its escaped strings decoded.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};
use std::time::Duration;

use serde::Deserialize;

use super::capability::Capability;
use super::escape;
use super::lua::LuaRequirement;

pub(crate) mod control;
pub(crate) mod ws;

pub(crate) use control::{ProcessAction, Stream};
pub(crate) use ws::{WsBlock, WsConcurrent};

/// The line that opens the case block (the file must start with it).
const OPEN: &str = "--[==[case";
/// The text that closes the case block.
const CLOSE: &str = "]==]";
/// Default for `timeout`.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Upper bound for `timeout`, so a typo cannot hang the suite.
const MAX_TIMEOUT: Duration = Duration::from_secs(600);
/// Upper bound for a `[[concurrent]]` block's `count`.
const MAX_COUNT: usize = 10_000;

/// One conformance case, ready to run.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    /// SEMANTICS.md clauses the case pins.
    pub(crate) clauses: Vec<String>,
    /// One-line description.
    pub(crate) summary: String,
    /// Runner options put before the script.
    pub(crate) runner_args: Vec<String>,
    /// Script arguments put after the port.
    pub(crate) args: Vec<String>,
    /// Bound on the whole case.
    pub(crate) timeout: Duration,
    /// Expected exit status.
    pub(crate) exit: ExitExpectation,
    /// Exact expected stdout.
    pub(crate) stdout: Option<Vec<u8>>,
    /// Substrings stdout must contain.
    pub(crate) stdout_contains: Vec<Vec<u8>>,
    /// Substrings stderr must contain.
    pub(crate) stderr_contains: Vec<Vec<u8>>,
    /// Exact expected stderr.
    pub(crate) stderr: Option<Vec<u8>>,
    /// Bytes written to the runner's stdin as it starts; `None` (and no
    /// `process` action on stdin): stdin is null.
    pub(crate) stdin: Option<Vec<u8>>,
    /// Actions on the runner process, after the connection blocks.
    pub(crate) process: Vec<ProcessAction>,
    /// Kill the runner after the requests instead of waiting for its exit.
    pub(crate) kill_after_requests: bool,
    /// Requests made one after the other.
    pub(crate) steps: Vec<Step>,
    /// Bursts of simultaneous requests, made after the steps.
    pub(crate) concurrent: Vec<Concurrent>,
    /// Scripted WebSocket connections, made after the steps.
    pub(crate) ws: Vec<WsBlock>,
    /// Many WebSocket clients at once, after the `[[ws]]` blocks.
    pub(crate) ws_concurrent: Vec<WsConcurrent>,
    /// The harness itself listens on the case's port while the runner runs.
    pub(crate) busy_port: bool,
    /// The transports the case applies to (`tcp`, `memory`); empty: all.
    /// Cases about TCP or HTTP/1.1 framing themselves say `["tcp"]`.
    pub(crate) transports: Vec<String>,
    /// Files and directories (paths relative to the case file's directory)
    /// copied, each under its own name, beside a copy of the script in a
    /// fresh directory that the case runs from; empty: the case runs in
    /// place.
    pub(crate) files: Vec<String>,
    /// Files (relative to the case's root) that must hold these bytes
    /// after the runner exited (`written`); the case then runs from its
    /// own directory too.
    pub(crate) written: Vec<(String, Vec<u8>)>,
    /// Capabilities the case needs that its other fields do not show.
    pub(crate) needs: Vec<Capability>,
    /// The Lua versions the case is for; empty: any.
    pub(crate) lua: Vec<LuaRequirement>,
    /// Clauses whose `[fix]` (a departure from CraftOS-PC) the case pins.
    pub(crate) fix: Vec<String>,
    /// Clauses whose `[ext]` (an addition to CraftOS-PC) the case pins.
    pub(crate) ext: Vec<String>,
}

impl Case {
    /// Whether the case applies to `transport` (`tcp` or `memory`).
    pub(crate) fn applies_to(&self, transport: &str) -> bool {
        // A port held by another process is a TCP matter.
        if self.busy_port && transport != "tcp" {
            return false;
        }
        self.transports.is_empty() || self.transports.iter().any(|t| t == transport)
    }

    /// Whether the case connects to the runner at all.
    pub(crate) fn connects(&self) -> bool {
        !(self.steps.is_empty()
            && self.concurrent.is_empty()
            && self.ws.is_empty()
            && self.ws_concurrent.is_empty())
    }

    /// Whether the runner's stdin is a pipe (else it is null).
    pub(crate) fn pipes_stdin(&self) -> bool {
        self.stdin.is_some() || self.process.iter().any(ProcessAction::uses_stdin)
    }

    /// What the case needs of the runner beyond `RUNNER SCRIPT PORT` with
    /// the script's output on stdout: the options of `runner_args`; `args`;
    /// `stdin` for input; `signals` for a `signal` action; `stderr` to
    /// check stderr; `exit-status` for an exit other than 0; `script-dir`
    /// for `files`; `fix`/`ext` for the clauses so marked; and `needs`.
    pub(crate) fn needs(&self) -> BTreeSet<Capability> {
        let mut needs: BTreeSet<Capability> = self
            .runner_args
            .iter()
            .filter_map(|arg| option_name(arg))
            .map(|name| Capability::Option(name.to_owned()))
            .collect();
        let derived = [
            (!self.args.is_empty(), Capability::Args),
            (self.pipes_stdin(), Capability::Stdin),
            (
                self.process
                    .iter()
                    .any(|action| matches!(action, ProcessAction::Signal(_))),
                Capability::Signals,
            ),
            (
                self.stderr.is_some() || !self.stderr_contains.is_empty(),
                Capability::Stderr,
            ),
            (
                !matches!(self.exit, ExitExpectation::Code(0) | ExitExpectation::Any),
                Capability::ExitStatus,
            ),
            (
                !self.files.is_empty() || !self.written.is_empty(),
                Capability::ScriptDir,
            ),
            (!self.fix.is_empty(), Capability::Fix),
            (!self.ext.is_empty(), Capability::Ext),
        ];
        needs.extend(
            derived
                .into_iter()
                .filter(|(needed, _)| *needed)
                .map(|(_, capability)| capability),
        );
        needs.extend(self.needs.iter().cloned());
        needs
    }
}

/// The option a runner argument names (`--root` of `--root` or
/// `--root=x`), or `None` for a value.
fn option_name(arg: &str) -> Option<&str> {
    let name = arg.split('=').next().unwrap_or_default();
    let rest = name.strip_prefix("--")?;
    (!rest.is_empty()).then_some(name)
}

/// What the runner's exit status must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitExpectation {
    /// Exactly this code.
    Code(i32),
    /// Not checked.
    Any,
}

/// Which connection a step uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConnMode {
    /// A fresh connection (the previous one is closed).
    New,
    /// The previous step's connection.
    Same,
}

/// What a step does after sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// Read one response and check it.
    Response(Expectation),
    /// Read until EOF and expect no bytes at all.
    NoResponse,
    /// Drop the connection without reading.
    Close,
    /// Keep the connection open without reading (a later step continues it).
    SendOnly,
}

/// One `[[step]]`.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// Bytes to send.
    pub(crate) send: Vec<u8>,
    /// Connection to use.
    pub(crate) conn: ConnMode,
    /// Pause after connecting and before sending.
    pub(crate) delay: Duration,
    /// What to do after sending.
    pub(crate) action: Action,
    /// The response (or EOF) must take at least this long after sending.
    pub(crate) min: Duration,
    /// The response (or EOF) must take at most this long after sending.
    pub(crate) max: Option<Duration>,
}

/// One `[[concurrent]]` block: `count` requests at once.
#[derive(Debug, Clone)]
pub(crate) struct Concurrent {
    /// Number of simultaneous requests.
    pub(crate) count: usize,
    /// Bytes to send, with `{i}` still to substitute.
    pub(crate) send: Vec<u8>,
    /// Expected response, with `{i}` still to substitute.
    pub(crate) expect: Expectation,
}

/// What a response must look like; `None`/empty fields are not checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Expectation {
    /// Status code.
    pub(crate) status: Option<u16>,
    /// Reason phrase.
    pub(crate) reason: Option<String>,
    /// Header name (any case) and exact value, escapes decoded (repeated
    /// headers joined with `, `).
    pub(crate) headers: Vec<(String, Vec<u8>)>,
    /// Header names that must not appear.
    pub(crate) headers_absent: Vec<String>,
    /// Exact body.
    pub(crate) body: Option<Vec<u8>>,
    /// Substrings of the body.
    pub(crate) body_contains: Vec<Vec<u8>>,
    /// The request was a HEAD: the response has no body.
    pub(crate) head: bool,
}

impl Expectation {
    /// Whether any response property is checked.
    fn checks_anything(&self) -> bool {
        *self != Self::default()
    }

    /// This expectation with `{i}` replaced by `i` in the body, the body
    /// substrings and the header values.
    pub(crate) fn substitute(&self, i: usize) -> Self {
        Self {
            headers: self
                .headers
                .iter()
                .map(|(name, value)| (name.clone(), substitute(value, i)))
                .collect(),
            body: self.body.as_deref().map(|body| substitute(body, i)),
            body_contains: self
                .body_contains
                .iter()
                .map(|s| substitute(s, i))
                .collect(),
            ..self.clone()
        }
    }
}

/// Replaces every `{i}` in `bytes` by the decimal `i`.
pub(crate) fn substitute(bytes: &[u8], i: usize) -> Vec<u8> {
    let index = i.to_string();
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        if rest.starts_with(b"{i}") {
            out.extend_from_slice(index.as_bytes());
            rest = &rest[3..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}

/// Parses a case file's text. Errors are one line, with the file line
/// number when known.
pub(crate) fn parse(source: &str) -> Result<Case, String> {
    let toml_text = block(source)?;
    let raw: RawCase = toml::from_str(toml_text).map_err(|err| {
        let line = err
            .span()
            .map(|span| toml_text[..span.start].matches('\n').count() + 2);
        let message = err.message().replace('\n', " ");
        match line {
            Some(line) => format!("case block, line {line}: {message}"),
            None => format!("case block: {message}"),
        }
    })?;
    raw.validate()
}

/// The TOML text of the case block: after the opening line, up to `]==]`.
fn block(source: &str) -> Result<&str, String> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let (first, rest) = source.split_once('\n').unwrap_or((source, ""));
    if first.trim_end() != OPEN {
        return Err(format!(
            "the file does not begin with a `{OPEN}` block (every .lua file here must be a case)"
        ));
    }
    let end = rest
        .find(CLOSE)
        .ok_or_else(|| format!("the `{OPEN}` block is never closed with `{CLOSE}`"))?;
    Ok(&rest[..end])
}

/// The case block as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    clauses: Vec<String>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    runner_args: Vec<String>,
    #[serde(default)]
    args: Vec<String>,
    timeout: Option<RawSeconds>,
    exit: Option<RawExit>,
    stdout: Option<String>,
    #[serde(default)]
    stdout_contains: Vec<String>,
    #[serde(default)]
    stderr_contains: Vec<String>,
    stderr: Option<String>,
    stdin: Option<String>,
    #[serde(default)]
    process: Vec<control::RawProcessAction>,
    #[serde(default)]
    kill_after_requests: bool,
    #[serde(default)]
    step: Vec<RawRequest>,
    #[serde(default)]
    concurrent: Vec<RawRequest>,
    #[serde(default)]
    ws: Vec<ws::RawWs>,
    #[serde(default)]
    ws_concurrent: Vec<ws::RawWsConcurrent>,
    #[serde(default)]
    busy_port: bool,
    #[serde(default)]
    transports: Vec<String>,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    written: BTreeMap<String, String>,
    #[serde(default)]
    needs: Vec<String>,
    lua: Option<RawLua>,
    #[serde(default)]
    fix: Vec<String>,
    #[serde(default)]
    ext: Vec<String>,
}

/// `lua`: one version or a list of them.
#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "`lua` is a version string (\"5.2\", \"5.3+\") or a list of them"
)]
enum RawLua {
    One(String),
    Many(Vec<String>),
}

/// A number of seconds, integer or float.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawSeconds {
    Integer(u64),
    Float(f64),
}

/// `exit`: a code or `"any"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawExit {
    Code(i32),
    Word(String),
}

/// A `[[step]]` or `[[concurrent]]` block as written: one struct for both so
/// unknown fields are rejected; fields that do not apply to the kind of block
/// are rejected in validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    send: String,
    count: Option<usize>,
    conn: Option<String>,
    status: Option<u16>,
    reason: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    headers_absent: Vec<String>,
    body: Option<String>,
    #[serde(default)]
    body_contains: Vec<String>,
    #[serde(default)]
    head: bool,
    #[serde(default)]
    no_response: bool,
    #[serde(default)]
    close: bool,
    #[serde(default)]
    send_only: bool,
    delay_ms: Option<u64>,
    min_ms: Option<u64>,
    max_ms: Option<u64>,
}

impl RawCase {
    /// Checks the fields and decodes the escaped strings.
    fn validate(self) -> Result<Case, String> {
        if self.clauses.is_empty() {
            return Err("`clauses` must name at least one clause".to_owned());
        }
        let timeout = match self.timeout {
            None => DEFAULT_TIMEOUT,
            Some(RawSeconds::Integer(secs)) => Duration::from_secs(secs),
            Some(RawSeconds::Float(secs)) => Duration::try_from_secs_f64(secs)
                .map_err(|_| format!("`timeout` = {secs} is not a valid number of seconds"))?,
        };
        if timeout.is_zero() || timeout > MAX_TIMEOUT {
            return Err(format!(
                "`timeout` must be more than 0 and at most {} seconds",
                MAX_TIMEOUT.as_secs()
            ));
        }
        if self.kill_after_requests {
            if self.exit.is_some() {
                return Err("`exit` is not checked with `kill_after_requests = true`".to_owned());
            }
            if self.step.is_empty()
                && self.concurrent.is_empty()
                && self.ws.is_empty()
                && self.ws_concurrent.is_empty()
            {
                return Err("`kill_after_requests = true` needs requests to make".to_owned());
            }
        }
        if self.busy_port
            && !(self.step.is_empty()
                && self.concurrent.is_empty()
                && self.ws.is_empty()
                && self.ws_concurrent.is_empty())
        {
            return Err(
                "`busy_port = true`: the port is the harness's own, so no request can reach the runner"
                    .to_owned(),
            );
        }
        let portability = Portability::check(
            &self.clauses,
            self.files,
            &self.needs,
            self.lua,
            self.fix,
            self.ext,
        )?;
        let exit = match self.exit {
            None => ExitExpectation::Code(0),
            Some(RawExit::Code(code)) => ExitExpectation::Code(code),
            Some(RawExit::Word(word)) if word == "any" => ExitExpectation::Any,
            Some(RawExit::Word(word)) => {
                return Err(format!(
                    "`exit` must be an integer or \"any\", not {word:?}"
                ));
            }
        };
        let mut steps = Vec::with_capacity(self.step.len());
        for (index, raw) in self.step.into_iter().enumerate() {
            let number = index + 1;
            let previous = steps.last().map(|step: &Step| &step.action);
            let step = raw
                .step(previous)
                .map_err(|err| format!("step {number}: {err}"))?;
            steps.push(step);
        }
        if let Some(last) = steps.last()
            && last.action == Action::SendOnly
        {
            return Err(format!(
                "step {}: `send_only` on the last step leaves nothing to continue it",
                steps.len()
            ));
        }
        let concurrent = self
            .concurrent
            .into_iter()
            .enumerate()
            .map(|(index, raw)| {
                raw.concurrent()
                    .map_err(|err| format!("concurrent block {}: {err}", index + 1))
            })
            .collect::<Result<_, _>>()?;
        let ws = ws::blocks(self.ws)?;
        let ws_concurrent = self
            .ws_concurrent
            .into_iter()
            .enumerate()
            .map(|(index, raw)| {
                raw.validate()
                    .map_err(|err| format!("ws_concurrent block {}: {err}", index + 1))
            })
            .collect::<Result<_, _>>()?;
        Ok(Case {
            clauses: self.clauses,
            summary: self.summary,
            runner_args: self.runner_args,
            args: self.args,
            timeout,
            exit,
            stdout: self
                .stdout
                .as_deref()
                .map(|s| field("stdout", s))
                .transpose()?,
            stdout_contains: fields("stdout_contains", &self.stdout_contains)?,
            stderr_contains: fields("stderr_contains", &self.stderr_contains)?,
            stderr: self
                .stderr
                .as_deref()
                .map(|s| field("stderr", s))
                .transpose()?,
            stdin: self
                .stdin
                .as_deref()
                .map(|s| field("stdin", s))
                .transpose()?,
            process: control::actions(self.process)?,
            kill_after_requests: self.kill_after_requests,
            steps,
            concurrent,
            ws,
            ws_concurrent,
            busy_port: self.busy_port,
            transports: self.transports,
            files: portability.files,
            written: super::written::parse(self.written)?,
            needs: portability.needs,
            lua: portability.lua,
            fix: portability.fix,
            ext: portability.ext,
        })
    }
}

/// The portability fields, checked.
struct Portability {
    files: Vec<String>,
    needs: Vec<Capability>,
    lua: Vec<LuaRequirement>,
    fix: Vec<String>,
    ext: Vec<String>,
}

impl Portability {
    /// Checks `files`, `needs`, `lua`, `fix` and `ext` (the last two name
    /// clauses of `clauses`).
    fn check(
        clauses: &[String],
        files: Vec<String>,
        needs: &[String],
        lua: Option<RawLua>,
        fix: Vec<String>,
        ext: Vec<String>,
    ) -> Result<Self, String> {
        let mut names = BTreeSet::new();
        for file in &files {
            let name = file_name(file).map_err(|err| format!("`files`: {file:?} {err}"))?;
            if !names.insert(name) {
                return Err(format!(
                    "`files`: two entries would both be copied as {name:?}"
                ));
            }
        }
        let needs = needs
            .iter()
            .map(|name| Capability::parse(name).map_err(|err| format!("`needs`: {err}")))
            .collect::<Result<_, _>>()?;
        let lua = match lua {
            None => Vec::new(),
            Some(RawLua::One(text)) => vec![text],
            Some(RawLua::Many(list)) if list.is_empty() => {
                return Err("`lua` lists no version (leave it out for any)".to_owned());
            }
            Some(RawLua::Many(list)) => list,
        };
        let lua = lua
            .iter()
            .map(|text| LuaRequirement::parse(text).map_err(|err| format!("`lua`: {err}")))
            .collect::<Result<_, _>>()?;
        for (field, marked) in [("fix", &fix), ("ext", &ext)] {
            if let Some(clause) = marked.iter().find(|c| !clauses.contains(c)) {
                return Err(format!(
                    "`{field}` names {clause:?}, which is not in `clauses`"
                ));
            }
        }
        Ok(Self {
            files,
            needs,
            lua,
            fix,
            ext,
        })
    }
}

/// The name an entry of `files` is copied under: its last component. The
/// path is relative (to the case file's directory) and ends in a name.
fn file_name(file: &str) -> Result<&str, &'static str> {
    let path = Path::new(file);
    if path.is_absolute() || file.is_empty() {
        return Err("must be a path relative to the case file's directory");
    }
    match path.components().next_back() {
        Some(Component::Normal(name)) => name.to_str().ok_or("is not UTF-8"),
        _ => Err("must end in a file or directory name (not `.` or `..`)"),
    }
}

impl RawRequest {
    /// Checks a `[[step]]`, given the previous step's action (if any).
    fn step(self, previous: Option<&Action>) -> Result<Step, String> {
        if self.count.is_some() {
            return Err("`count` only applies to `[[concurrent]]` blocks".to_owned());
        }
        let conn = match self.conn.as_deref() {
            None | Some("new") => ConnMode::New,
            Some("same") => ConnMode::Same,
            Some(other) => {
                return Err(format!("`conn` must be \"new\" or \"same\", not {other:?}"));
            }
        };
        let continues = previous == Some(&Action::SendOnly);
        match (conn, previous) {
            (ConnMode::Same, None) => {
                return Err("`conn = \"same\"` but there is no previous connection".to_owned());
            }
            (ConnMode::Same, Some(Action::Close | Action::NoResponse)) => {
                return Err(
                    "`conn = \"same\"` but the previous step ended its connection".to_owned(),
                );
            }
            (ConnMode::New, _) if continues => {
                return Err(
                    "the previous step is `send_only`, so this one must use `conn = \"same\"`"
                        .to_owned(),
                );
            }
            _ => {}
        }
        let flags = [
            ("no_response", self.no_response),
            ("close", self.close),
            ("send_only", self.send_only),
        ];
        let set: Vec<&str> = flags
            .iter()
            .filter(|(_, on)| *on)
            .map(|(n, _)| *n)
            .collect();
        let (min_ms, max_ms, delay_ms) = (self.min_ms, self.max_ms, self.delay_ms);
        let send = field("send", &self.send)?;
        let expect = self.expectation()?;
        let action = match set.as_slice() {
            [] => Action::Response(expect),
            [flag] => {
                if expect.checks_anything() {
                    return Err(format!(
                        "`{flag}` reads no response, so it cannot check response fields"
                    ));
                }
                match *flag {
                    "no_response" => Action::NoResponse,
                    "close" => Action::Close,
                    _ => Action::SendOnly,
                }
            }
            _ => return Err(format!("`{}` exclude each other", set.join("`, `"))),
        };
        let reads = matches!(action, Action::Response(_) | Action::NoResponse);
        if !reads && (min_ms.is_some() || max_ms.is_some()) {
            return Err("`min_ms`/`max_ms` need a step that reads".to_owned());
        }
        if let (Some(min), Some(max)) = (min_ms, max_ms)
            && max < min
        {
            return Err("`max_ms` is less than `min_ms`".to_owned());
        }
        Ok(Step {
            send,
            conn,
            delay: Duration::from_millis(delay_ms.unwrap_or(0)),
            action,
            min: Duration::from_millis(min_ms.unwrap_or(0)),
            max: max_ms.map(Duration::from_millis),
        })
    }

    /// Checks a `[[concurrent]]` block.
    fn concurrent(self) -> Result<Concurrent, String> {
        let step_only = [
            ("conn", self.conn.is_some()),
            ("no_response", self.no_response),
            ("close", self.close),
            ("send_only", self.send_only),
            ("delay_ms", self.delay_ms.is_some()),
            ("min_ms", self.min_ms.is_some()),
            ("max_ms", self.max_ms.is_some()),
        ];
        if let Some((name, _)) = step_only.iter().find(|(_, set)| *set) {
            return Err(format!("`{name}` only applies to `[[step]]` blocks"));
        }
        let count = self.count.ok_or("`count` is required")?;
        if count == 0 || count > MAX_COUNT {
            return Err(format!("`count` must be between 1 and {MAX_COUNT}"));
        }
        Ok(Concurrent {
            count,
            send: field("send", &self.send)?,
            expect: self.expectation()?,
        })
    }

    /// The response fields, with the escaped ones decoded.
    fn expectation(self) -> Result<Expectation, String> {
        Ok(Expectation {
            status: self.status,
            reason: self.reason,
            headers: self
                .headers
                .into_iter()
                .map(|(name, value)| {
                    let value = field(&format!("headers.{name}"), &value)?;
                    Ok((name, value))
                })
                .collect::<Result<_, String>>()?,
            headers_absent: self.headers_absent,
            body: self.body.as_deref().map(|s| field("body", s)).transpose()?,
            body_contains: fields("body_contains", &self.body_contains)?,
            head: self.head,
        })
    }
}

/// Decodes one escaped field, naming it in the error.
fn field(name: &str, text: &str) -> Result<Vec<u8>, String> {
    escape::decode(text).map_err(|err| format!("`{name}`: {err}"))
}

/// Decodes a list of escaped strings, naming the field in the error.
fn fields(name: &str, texts: &[String]) -> Result<Vec<Vec<u8>>, String> {
    texts.iter().map(|text| field(name, text)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example in tests/conformance/README.md must stay valid.
    const README: &str = include_str!("../../../tests/conformance/README.md");

    fn readme_example() -> &'static str {
        let start = README.find("```lua\n").expect("README has a lua example") + 7;
        let len = README[start..].find("```").expect("example is closed");
        &README[start..start + len]
    }

    #[test]
    fn parses_the_readme_example() {
        let case = parse(readme_example()).unwrap();
        assert_eq!(case.clauses, ["R5", "R6"]);
        assert_eq!(case.runner_args, ["--response-timeout", "1"]);
        assert_eq!(case.args, ["extra"]);
        assert_eq!(case.timeout, Duration::from_secs(10));
        assert_eq!(case.exit, ExitExpectation::Code(0));
        assert_eq!(case.stdout.as_deref(), Some(&b"ok\n"[..]));
        assert_eq!(case.steps.len(), 1);
        let step = &case.steps[0];
        assert_eq!(
            step.send,
            b"POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
        );
        assert_eq!(step.conn, ConnMode::New);
        let Action::Response(expect) = &step.action else {
            panic!("expected a response step, got {:?}", step.action);
        };
        assert_eq!(expect.status, Some(200));
        assert_eq!(expect.reason.as_deref(), Some("OK"));
        assert!(
            expect
                .headers
                .contains(&("X-Test".to_owned(), b"a, b".to_vec()))
        );
        assert_eq!(expect.headers_absent, ["Transfer-Encoding"]);
        assert_eq!(expect.body.as_deref(), Some(&b"ok"[..]));
        assert_eq!(case.concurrent.len(), 1);
        assert_eq!(case.concurrent[0].count, 100);
        let sub = case.concurrent[0].expect.substitute(7);
        assert_eq!(sub.body.as_deref(), Some(&b"/7"[..]));
        assert_eq!(
            substitute(&case.concurrent[0].send, 42),
            b"GET /42 HTTP/1.1\r\nHost: x\r\n\r\n"
        );
    }

    fn case(toml: &str) -> Result<Case, String> {
        parse(&format!("{OPEN}\n{toml}\n{CLOSE}\nprint('hi')\n"))
    }

    #[test]
    fn minimal_case_has_defaults() {
        let case = case(r#"clauses = ["R1"]"#).unwrap();
        assert_eq!(case.exit, ExitExpectation::Code(0));
        assert_eq!(case.timeout, DEFAULT_TIMEOUT);
        assert!(case.steps.is_empty() && case.concurrent.is_empty());
        assert!(!case.kill_after_requests);
    }

    #[test]
    fn exit_any_and_float_timeout() {
        let case = case("clauses = [\"R1\"]\nexit = \"any\"\ntimeout = 0.5").unwrap();
        assert_eq!(case.exit, ExitExpectation::Any);
        assert_eq!(case.timeout, Duration::from_millis(500));
        assert!(
            self::case("clauses = [\"R1\"]\nexit = \"some\"")
                .unwrap_err()
                .contains("exit")
        );
    }

    #[test]
    fn requires_the_block_at_the_start() {
        let err = parse("print('no case')\n").unwrap_err();
        assert!(err.contains("does not begin"), "{err}");
        let err = parse(&format!("-- hello\n{OPEN}\nclauses=[\"R1\"]\n{CLOSE}\n")).unwrap_err();
        assert!(err.contains("does not begin"), "{err}");
        let err = parse(&format!("{OPEN}\nclauses=[\"R1\"]\n")).unwrap_err();
        assert!(err.contains("never closed"), "{err}");
    }

    #[test]
    fn requires_clauses() {
        assert!(case("summary = 'x'").unwrap_err().contains("clauses"));
        assert!(case("clauses = []").unwrap_err().contains("clauses"));
    }

    #[test]
    fn reports_unknown_fields_with_line() {
        let err = case("clauses = [\"R1\"]\n[[step]]\nsend = 'x'\nstauts = 200").unwrap_err();
        assert!(err.contains("stauts"), "{err}");
        assert!(err.contains("line 5"), "{err}");
        let err = case("clauses = [\"R1\"]\nbogus = 1").unwrap_err();
        assert!(err.contains("bogus"), "{err}");
    }

    #[test]
    fn reports_bad_escapes_with_the_field() {
        let err = case("clauses = [\"R1\"]\n[[step]]\nsend = 'GET /\\q'").unwrap_err();
        assert!(err.starts_with("step 1: `send`:"), "{err}");
        assert!(err.contains(r"\q"), "{err}");
    }

    #[test]
    fn step_actions() {
        let case = case(
            "clauses = [\"R1\"]\n\
             [[step]]\nsend = 'a'\nsend_only = true\ndelay_ms = 5\n\
             [[step]]\nsend = 'b'\nconn = 'same'\nclose = true\n\
             [[step]]\nsend = 'c'\nno_response = true\nmin_ms = 10\nmax_ms = 20\n\
             [[step]]\nsend = 'd'\nhead = true\nstatus = 204",
        )
        .unwrap();
        let actions: Vec<_> = case.steps.iter().map(|s| s.action.clone()).collect();
        assert_eq!(
            actions[..3],
            [Action::SendOnly, Action::Close, Action::NoResponse]
        );
        assert!(matches!(&actions[3], Action::Response(e) if e.head && e.status == Some(204)));
        assert_eq!(case.steps[0].delay, Duration::from_millis(5));
        assert_eq!(case.steps[1].conn, ConnMode::Same);
        assert_eq!(case.steps[2].max, Some(Duration::from_millis(20)));
    }

    #[test]
    fn rejects_inconsistent_steps() {
        let bad = [
            (
                "[[step]]\nsend = 'a'\nconn = 'same'",
                "no previous connection",
            ),
            (
                "[[step]]\nsend = 'a'\nclose = true\n[[step]]\nsend = 'b'\nconn = 'same'",
                "ended",
            ),
            ("[[step]]\nsend = 'a'\nconn = 'old'", "`conn`"),
            (
                "[[step]]\nsend = 'a'\nclose = true\nno_response = true",
                "exclude",
            ),
            (
                "[[step]]\nsend = 'a'\nclose = true\nstatus = 200",
                "cannot check",
            ),
            ("[[step]]\nsend = 'a'\nclose = true\nmin_ms = 5", "min_ms"),
            ("[[step]]\nsend = 'a'\nsend_only = true", "last step"),
            (
                "[[step]]\nsend = 'a'\nsend_only = true\n[[step]]\nsend = 'b'",
                "must use",
            ),
            ("[[step]]\nsend = 'a'\nmin_ms = 5\nmax_ms = 1", "less than"),
            ("[[concurrent]]\nsend = 'a'\ncount = 0", "count"),
            ("[[concurrent]]\nsend = 'a'", "`count` is required"),
            (
                "[[concurrent]]\nsend = 'a'\ncount = 2\nclose = true",
                "only applies",
            ),
            ("[[step]]\nsend = 'a'\ncount = 2", "only applies"),
            ("[[step]]\nstatus = 200", "send"),
            ("timeout = 0", "timeout"),
            ("kill_after_requests = true", "needs requests"),
            (
                "kill_after_requests = true\nexit = 1\n[[step]]\nsend = 'a'",
                "not checked",
            ),
        ];
        for (toml, needle) in bad {
            let err = case(&format!("clauses = [\"R1\"]\n{toml}")).unwrap_err();
            assert!(err.contains(needle), "{toml:?}: {err}");
        }
    }

    #[test]
    fn process_fields() {
        let case = case(
            "clauses = [\"X2\"]\nstdin = 'a\\n'\nstderr = 'e\\n'\n\
             process = [\n\
               { wait_stdout = 'ready\\n', max_ms = 300 },\n\
               { wait_stderr = 'x' },\n\
               { write_stdin = 'go\\n' },\n\
               { close_stdin = true },\n\
               { signal = 'INT' },\n\
               { sleep_ms = 20 },\n\
             ]",
        )
        .unwrap();
        assert_eq!(case.stdin.as_deref(), Some(&b"a\n"[..]));
        assert_eq!(case.stderr.as_deref(), Some(&b"e\n"[..]));
        assert!(case.pipes_stdin());
        assert_eq!(
            case.process,
            [
                ProcessAction::Wait {
                    stream: Stream::Stdout,
                    text: b"ready\n".to_vec(),
                    max: Duration::from_millis(300),
                },
                ProcessAction::Wait {
                    stream: Stream::Stderr,
                    text: b"x".to_vec(),
                    max: control::DEFAULT_WAIT,
                },
                ProcessAction::WriteStdin(b"go\n".to_vec()),
                ProcessAction::CloseStdin,
                ProcessAction::Signal("INT".to_owned()),
                ProcessAction::Sleep(Duration::from_millis(20)),
            ]
        );
        let plain = self::case("clauses = [\"X2\"]\nprocess = [{ signal = 'TERM' }]").unwrap();
        assert!(!plain.pipes_stdin());
    }

    #[test]
    fn rejects_bad_process_actions() {
        let bad = [
            ("process = [{}]", "names no verb"),
            ("process = [{ signal = 'INT', sleep_ms = 1 }]", "exclude"),
            ("process = [{ signal = 'USR1' }]", "`signal` must be one of"),
            (
                "process = [{ write_stdin = 'x', max_ms = 1 }]",
                "`max_ms` does not apply",
            ),
            ("process = [{ wait_stdout = '' }]", "needs bytes"),
            ("process = [{ close_stdin = false }]", "must be `true`"),
            (
                "process = [{ close_stdin = true }, { write_stdin = 'x' }]",
                "already closed",
            ),
            ("process = [{ wait_stdout = '\\q' }]", "wait_stdout"),
            ("process = [{ bogus = 1 }]", "bogus"),
        ];
        for (toml, needle) in bad {
            let err = case(&format!("clauses = [\"X2\"]\n{toml}")).unwrap_err();
            assert!(err.contains(needle), "{toml:?}: {err}");
        }
    }

    /// The portability fields of the README's example.
    fn readme_portability() -> &'static str {
        let start = README
            .find("```toml\nfiles =")
            .expect("README has the portability example")
            + 8;
        let len = README[start..].find("```").expect("example is closed");
        &README[start..start + len]
    }

    #[test]
    fn portability_fields() {
        let case = case(&format!(
            "clauses = [\"R5\", \"R6\"]\n{}",
            readme_portability()
        ))
        .unwrap();
        assert_eq!(
            case.files,
            ["fs-assert.lib", "fs-fixtures", "../../../examples/chat.lua"]
        );
        assert_eq!(case.needs, [Capability::ScriptDir]);
        assert_eq!(
            case.lua,
            [
                LuaRequirement::parse("5.2").unwrap(),
                LuaRequirement::parse("5.3+").unwrap()
            ]
        );
        assert_eq!(
            (case.fix.as_slice(), case.ext.as_slice()),
            (&["R5".to_owned()][..], &["R6".to_owned()][..])
        );
        let one = self::case("clauses = [\"R1\"]\nlua = \"luajit\"").unwrap();
        assert_eq!(one.lua, [LuaRequirement::parse("luajit").unwrap()]);
        // None of them: nothing needed, any Lua.
        let plain = self::case("clauses = [\"R1\"]").unwrap();
        assert!(plain.files.is_empty() && plain.lua.is_empty() && plain.needs().is_empty());
    }

    #[test]
    fn needs_follow_from_the_header() {
        let names = |toml: &str| -> Vec<String> {
            case(&format!("clauses = [\"X1\", \"R5\"]\n{toml}"))
                .unwrap()
                .needs()
                .iter()
                .map(|c| c.name().to_owned())
                .collect()
        };
        assert_eq!(
            names("runner_args = [\"--response-timeout\", \"1\", \"--io-threads=1\", \"-x\"]"),
            ["--io-threads", "--response-timeout"]
        );
        assert_eq!(names("args = ['a']"), ["args"]);
        assert_eq!(names("stdin = 'x'"), ["stdin"]);
        assert_eq!(names("process = [{ close_stdin = true }]"), ["stdin"]);
        assert_eq!(
            names("process = [{ signal = 'INT' }, { wait_stdout = 'x' }]"),
            ["signals"]
        );
        assert_eq!(names("stderr_contains = ['boom']"), ["stderr"]);
        assert_eq!(names("stderr = ''"), ["stderr"]);
        assert_eq!(names("exit = 1"), ["exit-status"]);
        assert!(names("exit = 0").is_empty() && names("exit = 'any'").is_empty());
        assert_eq!(names("files = ['x.lib']"), ["script-dir"]);
        assert_eq!(names("fix = ['R5']\next = ['X1']"), ["fix", "ext"]);
        assert_eq!(
            names("needs = ['script-dir', '--root']\nfiles = ['a']"),
            ["--root", "script-dir"]
        );
        // What only reads stdout and checks exit 0 needs nothing.
        assert!(names("stdout = 'ok'\nstdout_contains = ['o']\ntimeout = 3\nprocess = [{ wait_stdout = 'o' }]").is_empty());
    }

    #[test]
    fn rejects_bad_portability_fields() {
        let bad = [
            ("files = ['/etc/passwd']", "relative"),
            ("files = ['']", "relative"),
            ("files = ['a/..']", "must end in"),
            (
                "files = ['a/x.lib', 'b/x.lib']",
                "both be copied as \"x.lib\"",
            ),
            ("needs = ['bogus']", "unknown capability"),
            ("needs = ['all']", "unknown capability"),
            ("lua = '5.0'", "unknown Lua version"),
            ("lua = []", "lists no version"),
            ("lua = 5.2", "`lua` is a version string"),
            ("fix = ['R9']", "not in `clauses`"),
            ("ext = ['R9']", "not in `clauses`"),
        ];
        for (toml, needle) in bad {
            let err = case(&format!("clauses = [\"R1\"]\n{toml}")).unwrap_err();
            assert!(err.contains(needle), "{toml:?}: {err}");
        }
    }

    #[test]
    fn substitutes_index() {
        assert_eq!(substitute(b"/{i}/{i}{", 12), b"/12/12{");
        let expect = Expectation {
            headers: vec![("X-I".to_owned(), b"n{i}".to_vec())],
            body_contains: vec![b"<{i}>".to_vec()],
            ..Expectation::default()
        }
        .substitute(3);
        assert_eq!(expect.headers[0].1, b"n3");
        assert_eq!(expect.body_contains[0], b"<3>");
    }
}
