//! The `process` list of a case: actions on the runner process itself
//! (waiting for its output, writing to its stdin, sending it a signal),
//! validated and decoded.

use std::time::Duration;

use serde::Deserialize;

use super::field;

/// How long a `wait_stdout` / `wait_stderr` action waits by default.
pub(crate) const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// The signals a `signal` action may name.
const SIGNALS: [&str; 5] = ["INT", "TERM", "HUP", "QUIT", "KILL"];

/// Which output stream a wait watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    /// The runner's stdout.
    Stdout,
    /// The runner's stderr.
    Stderr,
}

impl Stream {
    /// The stream's name, for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Stdout => "stdout",
            Self::Stderr => "stderr",
        }
    }
}

/// One action of the `process` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProcessAction {
    /// Wait (up to `max`) until the stream shows `text` after the place
    /// where the previous wait on that stream matched.
    Wait {
        /// The stream watched.
        stream: Stream,
        /// The bytes to see.
        text: Vec<u8>,
        /// How long to wait.
        max: Duration,
    },
    /// Write these bytes to the runner's stdin.
    WriteStdin(Vec<u8>),
    /// Close the runner's stdin (end of input).
    CloseStdin,
    /// Send the runner this signal (a name of [`SIGNALS`]).
    Signal(String),
    /// Pause.
    Sleep(Duration),
}

impl ProcessAction {
    /// Whether the action needs the runner's stdin to be a pipe.
    pub(crate) fn uses_stdin(&self) -> bool {
        matches!(self, Self::WriteStdin(_) | Self::CloseStdin)
    }
}

/// One action as written: a table naming exactly one verb (plus `max_ms`
/// for the waits).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProcessAction {
    wait_stdout: Option<String>,
    wait_stderr: Option<String>,
    write_stdin: Option<String>,
    close_stdin: Option<bool>,
    signal: Option<String>,
    sleep_ms: Option<u64>,
    max_ms: Option<u64>,
}

/// Validates the `process` list; after `close_stdin` nothing may write to
/// stdin.
pub(super) fn actions(raw: Vec<RawProcessAction>) -> Result<Vec<ProcessAction>, String> {
    let mut closed = false;
    let mut out = Vec::with_capacity(raw.len());
    for (index, raw) in raw.into_iter().enumerate() {
        let number = index + 1;
        let action = raw
            .validate()
            .map_err(|err| format!("process action {number}: {err}"))?;
        if action.uses_stdin() && closed {
            return Err(format!(
                "process action {number}: stdin was already closed by `close_stdin`"
            ));
        }
        closed |= action == ProcessAction::CloseStdin;
        out.push(action);
    }
    Ok(out)
}

impl RawProcessAction {
    /// Checks one action: exactly one verb, `max_ms` only on a wait.
    fn validate(self) -> Result<ProcessAction, String> {
        let verbs = [
            ("wait_stdout", self.wait_stdout.is_some()),
            ("wait_stderr", self.wait_stderr.is_some()),
            ("write_stdin", self.write_stdin.is_some()),
            ("close_stdin", self.close_stdin.is_some()),
            ("signal", self.signal.is_some()),
            ("sleep_ms", self.sleep_ms.is_some()),
        ];
        let named: Vec<&str> = verbs.iter().filter(|(_, s)| *s).map(|(n, _)| *n).collect();
        let verb = match named.as_slice() {
            [verb] => *verb,
            [] => {
                return Err(
                    "names no verb (wait_stdout, wait_stderr, write_stdin, close_stdin, \
                     signal, sleep_ms)"
                        .to_owned(),
                );
            }
            several => return Err(format!("`{}` exclude each other", several.join("`, `"))),
        };
        if self.max_ms.is_some() && !verb.starts_with("wait_") {
            return Err(format!("`max_ms` does not apply to `{verb}`"));
        }
        let max = self.max_ms.map_or(DEFAULT_WAIT, Duration::from_millis);
        let wait = |stream: Stream, text: Option<String>| -> Result<ProcessAction, String> {
            let text = field(
                &format!("wait_{}", stream.name()),
                text.as_deref().unwrap_or_default(),
            )?;
            if text.is_empty() {
                return Err(format!("`wait_{}` needs bytes to wait for", stream.name()));
            }
            Ok(ProcessAction::Wait { stream, text, max })
        };
        match verb {
            "wait_stdout" => wait(Stream::Stdout, self.wait_stdout),
            "wait_stderr" => wait(Stream::Stderr, self.wait_stderr),
            "write_stdin" => Ok(ProcessAction::WriteStdin(field(
                verb,
                self.write_stdin.as_deref().unwrap_or_default(),
            )?)),
            "close_stdin" => match self.close_stdin {
                Some(true) => Ok(ProcessAction::CloseStdin),
                _ => Err("`close_stdin` must be `true`".to_owned()),
            },
            "signal" => {
                let name = self.signal.unwrap_or_default();
                if SIGNALS.contains(&name.as_str()) {
                    Ok(ProcessAction::Signal(name))
                } else {
                    Err(format!(
                        "`signal` must be one of {}, not {name:?}",
                        SIGNALS.join(", ")
                    ))
                }
            }
            _ => Ok(ProcessAction::Sleep(Duration::from_millis(
                self.sleep_ms.unwrap_or_default(),
            ))),
        }
    }
}
