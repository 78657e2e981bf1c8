//! Running one case: start the runner, make the requests of the steps and
//! concurrent blocks, wait for the runner to exit, check everything, all
//! bounded by the case timeout.

use std::ffi::OsString;
use std::path::Path;
use std::process::ExitStatus;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Barrier;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep, timeout};

use super::case::{
    Action, Case, Concurrent, ConnMode, ExitExpectation, ProcessAction, Step, Stream, substitute,
};
use super::check;
use super::client::Connection;
use super::escape::show;
use super::memory;
use super::options::Transport;
use super::process::{Output, Process, Runner, describe, free_port};
use super::stage::Stage;

/// A case's memory route and control socket, removed when the case ends.
struct MemorySocket {
    _route: memory::Route,
    path: std::path::PathBuf,
}

impl Drop for MemorySocket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

mod ws;

/// The result of one case.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// Why the case failed, or `None` if it passed.
    pub(crate) failure: Option<String>,
    /// What the runner printed (empty if it never started).
    pub(crate) output: Output,
}

impl Outcome {
    /// A failure before the runner could start.
    fn early(failure: String) -> Self {
        Self {
            failure: Some(failure),
            output: Output::default(),
        }
    }
}

/// Runs `case` from the file `script` with `runner`, its clients reaching
/// the runner over `transport`. A case with `files` runs from its own
/// directory (a copy of the script with the files beside it).
pub(crate) async fn case(
    runner: &Runner,
    script: &Path,
    case: &Case,
    transport: Transport,
) -> Outcome {
    let stage = if case.files.is_empty() && case.written.is_empty() {
        None
    } else {
        match Stage::new(script, &case.files) {
            Ok(stage) => Some(stage),
            Err(err) => return Outcome::early(err),
        }
    };
    let script = stage.as_ref().map_or(script, Stage::script);
    let port = match free_port() {
        Ok(port) => port,
        Err(err) => return Outcome::early(format!("no free port on 127.0.0.1: {err}")),
    };
    let mut args: Vec<OsString> = case.runner_args.iter().map(OsString::from).collect();
    // `--transport memory`: the runner serves over its in-memory transport,
    // reached through its control socket; connections to the case's port
    // go through the gateway while `_route` lives.
    let _route = match transport {
        Transport::Tcp => None,
        Transport::Memory => {
            let socket = std::env::temp_dir().join(format!(
                "craftos-http-conformance-{}-{port}.sock",
                std::process::id()
            ));
            args.push("--memory-socket".into());
            args.push(socket.clone().into_os_string());
            Some(MemorySocket {
                _route: memory::register(port, &socket),
                path: socket,
            })
        }
    };
    args.push(script.as_os_str().to_owned());
    args.push(port.to_string().into());
    args.extend(case.args.iter().map(OsString::from));
    // `busy_port`: the harness holds the port, so the runner cannot bind it.
    let _held = if case.busy_port {
        match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => Some(listener),
            Err(err) => return Outcome::early(format!("cannot hold port {port}: {err}")),
        }
    } else {
        None
    };
    let mut process = match Process::spawn(runner, &args, case.pipes_stdin()) {
        Ok(process) => process,
        Err(err) => return Outcome::early(format!("{err:#}")),
    };

    let mut phase = Phase::Starting;
    let result = timeout(case.timeout, interact(&mut process, case, port, &mut phase)).await;
    // A request failing because the runner died says so.
    let exited_early = match (&result, phase) {
        (
            Ok(Err(_)),
            Phase::Step(_)
            | Phase::Concurrent(_)
            | Phase::Ws(_)
            | Phase::WsConcurrent(_)
            | Phase::Process(_),
        ) => process.exited(),
        _ => None,
    };
    let output = process.stop().await;

    let failure = match result {
        Err(_elapsed) => Some(with_stderr(
            format!("timed out after {} {phase}", seconds(case.timeout)),
            &output,
        )),
        Ok(Err(err)) => {
            let err = match exited_early {
                Some(status) => format!("{err} (the runner had exited: {})", describe(status)),
                None => err,
            };
            Some(with_stderr(err, &output))
        }
        Ok(Ok(status)) => check_exit(case.exit, status)
            .map_err(|err| with_stderr(err, &output))
            .and_then(|()| check_output(case, &output))
            .and_then(|()| match &stage {
                Some(stage) => super::written::check(stage.root(), &case.written),
                None => Ok(()),
            })
            .err(),
    };
    Outcome { failure, output }
}

/// Everything between spawning and the runner's end: returns its exit
/// status, or `None` if it was to be killed after the requests. `phase`
/// tracks what is going on, for the failure message.
async fn interact(
    process: &mut Process,
    case: &Case,
    port: u16,
    phase: &mut Phase,
) -> Result<Option<ExitStatus>, String> {
    if let Some(stdin) = &case.stdin {
        process
            .write_stdin(stdin)
            .await
            .map_err(|err| format!("{err:#}"))?;
    }
    if case.connects() {
        *phase = Phase::Listen(port);
        process
            .wait_for_port(port)
            .await
            .map_err(|err| format!("{err:#}"))?;
    }
    let mut conn = None;
    for (index, step) in case.steps.iter().enumerate() {
        *phase = Phase::Step(index + 1);
        run_step(step, port, &mut conn)
            .await
            .map_err(|err| format!("step {}: {err}", index + 1))?;
    }
    drop(conn);
    ws::run_blocks(&case.ws, port, &mut |n| *phase = Phase::Ws(n)).await?;
    for (index, block) in case.ws_concurrent.iter().enumerate() {
        *phase = Phase::WsConcurrent(index + 1);
        ws::run_concurrent(block, port)
            .await
            .map_err(|err| format!("ws_concurrent block {}: {err}", index + 1))?;
    }
    for (index, block) in case.concurrent.iter().enumerate() {
        *phase = Phase::Concurrent(index + 1);
        run_concurrent(block, port)
            .await
            .map_err(|err| format!("concurrent block {}: {err}", index + 1))?;
    }
    run_process_actions(process, &case.process, &mut |n| *phase = Phase::Process(n)).await?;
    // End of input once the actions are done (at once if there are none).
    process.close_stdin();
    if case.kill_after_requests {
        return Ok(None);
    }
    *phase = Phase::Exit;
    process
        .wait()
        .await
        .map(Some)
        .map_err(|err| format!("{err:#}"))
}

/// What a case is doing, for failure messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before waiting for the port.
    Starting,
    /// Waiting for the port to accept connections.
    Listen(u16),
    /// Running step n (1-based).
    Step(usize),
    /// Running concurrent block n (1-based).
    Concurrent(usize),
    /// Running `[[ws]]` block n (1-based).
    Ws(usize),
    /// Running `[[ws_concurrent]]` block n (1-based).
    WsConcurrent(usize),
    /// Running `process` action n (1-based).
    Process(usize),
    /// Waiting for the runner to exit.
    Exit,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Starting => write!(f, "while starting"),
            Self::Listen(port) => write!(f, "waiting for port {port} to accept connections"),
            Self::Step(n) => write!(f, "in step {n}"),
            Self::Concurrent(n) => write!(f, "in concurrent block {n}"),
            Self::Ws(n) => write!(f, "in ws block {n}"),
            Self::WsConcurrent(n) => write!(f, "in ws_concurrent block {n}"),
            Self::Process(n) => write!(f, "in process action {n}"),
            Self::Exit => write!(f, "waiting for the runner to exit"),
        }
    }
}

/// Runs the `process` actions in order; `phase` is told the number of each.
async fn run_process_actions(
    process: &mut Process,
    actions: &[ProcessAction],
    phase: &mut impl FnMut(usize),
) -> Result<(), String> {
    // Where the last wait on each stream matched: a wait looks after it.
    let (mut stdout_at, mut stderr_at) = (0, 0);
    for (index, action) in actions.iter().enumerate() {
        let number = index + 1;
        phase(number);
        let context = |err: String| format!("process action {number}: {err}");
        match action {
            ProcessAction::Wait { stream, text, max } => {
                let at = match stream {
                    Stream::Stdout => &mut stdout_at,
                    Stream::Stderr => &mut stderr_at,
                };
                *at = process
                    .wait_output(*stream, text, *at, *max)
                    .await
                    .map_err(context)?;
            }
            ProcessAction::WriteStdin(bytes) => process
                .write_stdin(bytes)
                .await
                .map_err(|err| context(format!("{err:#}")))?,
            ProcessAction::CloseStdin => process.close_stdin(),
            ProcessAction::Signal(name) => process
                .signal(name)
                .map_err(|err| context(format!("{err:#}")))?,
            ProcessAction::Sleep(duration) => sleep(*duration).await,
        }
    }
    Ok(())
}

/// Runs one step; `slot` holds the connection kept for a later
/// `conn = "same"` step.
async fn run_step(step: &Step, port: u16, slot: &mut Option<Connection>) -> Result<(), String> {
    let mut conn = match step.conn {
        ConnMode::New => {
            drop(slot.take());
            match Connection::open(port).await {
                Ok(conn) => conn,
                // A refused connection is the strongest "no response".
                Err(err)
                    if matches!(step.action, Action::NoResponse)
                        && err.chain().any(|e| {
                            e.downcast_ref::<std::io::Error>().is_some_and(|io| {
                                io.kind() == std::io::ErrorKind::ConnectionRefused
                            })
                        }) =>
                {
                    return Ok(());
                }
                Err(err) => return Err(format!("{err:#}")),
            }
        }
        ConnMode::Same => slot
            .take()
            .ok_or("no previous connection to reuse (it was closed)")?,
    };
    sleep(step.delay).await;
    // A server may answer and close before reading everything sent (e.g. a
    // 413), so a failed send is only reported if no response can be read.
    let send_error = conn.send(&step.send).await.err();
    let sent = Instant::now();
    let after_send = |err: anyhow::Error| match &send_error {
        Some(send) => format!("{send:#}; then {err:#}"),
        None => format!("{err:#}"),
    };
    match &step.action {
        Action::Close => {}
        Action::SendOnly => {
            if let Some(err) = send_error {
                return Err(format!("{err:#}"));
            }
            *slot = Some(conn);
        }
        Action::NoResponse => {
            let received = conn.read_close().await.map_err(after_send)?;
            if !received.is_empty() {
                return Err(format!(
                    "expected the connection closed without a response, received {}",
                    show(&received)
                ));
            }
            check_timing(step, sent.elapsed())?;
        }
        Action::Response(expect) => {
            let response = conn.read_response(expect.head).await.map_err(after_send)?;
            let elapsed = sent.elapsed();
            check::response(&response, expect)?;
            check_timing(step, elapsed)?;
            *slot = Some(conn);
        }
    }
    Ok(())
}

/// Checks a step's `min_ms` and `max_ms` against the time from the end of
/// sending to the end of the response (or EOF).
fn check_timing(step: &Step, elapsed: Duration) -> Result<(), String> {
    if elapsed < step.min {
        return Err(format!(
            "response after {} ms, expected at least {} ms",
            elapsed.as_millis(),
            step.min.as_millis()
        ));
    }
    if let Some(max) = step.max
        && elapsed > max
    {
        return Err(format!(
            "response after {} ms, expected at most {} ms",
            elapsed.as_millis(),
            max.as_millis()
        ));
    }
    Ok(())
}

/// Runs a concurrent block: all connections are opened, then all requests
/// are sent at once and every response is checked.
async fn run_concurrent(block: &Concurrent, port: u16) -> Result<(), String> {
    let block = Arc::new(block.clone());
    let barrier = Arc::new(Barrier::new(block.count));
    let mut tasks = JoinSet::new();
    for i in 0..block.count {
        let block = Arc::clone(&block);
        let barrier = Arc::clone(&barrier);
        tasks.spawn(async move {
            let conn = Connection::open(port).await;
            barrier.wait().await;
            (i, one_of_many(conn, &block, i).await)
        });
    }
    let mut failures = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((_, Ok(()))) => {}
            Ok((i, Err(err))) => failures.push((i, err)),
            Err(err) => failures.push((usize::MAX, format!("request task failed: {err}"))),
        }
    }
    failures.sort_by_key(|(i, _)| *i);
    match failures.first() {
        None => Ok(()),
        Some((i, err)) => Err(format!(
            "{} of {} requests failed; first (i = {i}): {err}",
            failures.len(),
            block.count
        )),
    }
}

/// Request number `i` of a concurrent block.
async fn one_of_many(
    conn: anyhow::Result<Connection>,
    block: &Concurrent,
    i: usize,
) -> Result<(), String> {
    let mut conn = conn.map_err(|err| format!("{err:#}"))?;
    let expect = block.expect.substitute(i);
    let send_error = conn.send(&substitute(&block.send, i)).await.err();
    let response = conn
        .read_response(expect.head)
        .await
        .map_err(|err| match &send_error {
            Some(send) => format!("{send:#}; then {err:#}"),
            None => format!("{err:#}"),
        })?;
    check::response(&response, &expect)
}

/// Checks the exit status (`None`: killed on purpose, not checked).
fn check_exit(expected: ExitExpectation, status: Option<ExitStatus>) -> Result<(), String> {
    match (expected, status) {
        (ExitExpectation::Code(code), Some(status)) if status.code() != Some(code) => Err(format!(
            "exit: expected exit code {code}, received {}",
            describe(status)
        )),
        _ => Ok(()),
    }
}

/// Checks `stdout`, `stdout_contains`, `stderr` and `stderr_contains`.
fn check_output(case: &Case, output: &Output) -> Result<(), String> {
    if let Some(stdout) = &case.stdout {
        check::bytes("stdout", stdout, &output.stdout)?;
    }
    if let Some(stderr) = &case.stderr {
        check::bytes("stderr", stderr, &output.stderr)?;
    }
    check::contains("stdout", &case.stdout_contains, &output.stdout)?;
    check::contains("stderr", &case.stderr_contains, &output.stderr)
}

/// Appends the runner's stderr (if any) to a failure message.
fn with_stderr(failure: String, output: &Output) -> String {
    if output.stderr.is_empty() {
        failure
    } else {
        format!("{failure}; stderr: {}", show(&output.stderr))
    }
}

/// A duration in seconds for messages: `10 s`, `0.5 s`.
fn seconds(duration: Duration) -> String {
    format!("{} s", duration.as_secs_f64())
}
