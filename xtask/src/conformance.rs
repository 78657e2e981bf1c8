//! `cargo xtask conformance`: runs the Lua conformance cases in
//! `tests/conformance/` against a runner and reports one line per case,
//! then the skip reasons, one line per kind of case (`http`, `ws`, `env`)
//! and `N passed, M failed`. The case format is specified in
//! `tests/conformance/README.md`. Another emulator runs the suite through
//! `--runner CMD --capabilities ...`: the cases that need what its runner
//! lacks are skipped, not failed.

mod capability;
mod case;
mod check;
mod client;
mod escape;
mod lua;
mod memory;
mod options;
mod process;
mod run;
mod stage;
mod stream;
mod written;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use tokio::sync::Semaphore;

use capability::Capability;
use case::Case;
use lua::LuaVersion;
use options::{Options, Transport};
use process::Runner;
use run::Outcome;

/// Runs the suite with the given arguments; `Ok(true)` iff every case passed.
pub(crate) fn run(args: &[String]) -> anyhow::Result<bool> {
    let options = options::parse(args)?;
    if options.help {
        print!("{}", options::USAGE);
        return Ok(true);
    }
    if options.transport == Transport::Memory {
        let socket = Capability::Option("--memory-socket".to_owned());
        anyhow::ensure!(
            options.capabilities.has(&socket),
            "`--transport memory` runs the runner with --memory-socket: add --memory-socket to \
             --capabilities (only craftos-http's runner has it)"
        );
    }
    let files = discover(&options.dir)?;
    let files: Vec<PathBuf> = files
        .into_iter()
        .filter(|path| match &options.filter {
            // Comma-separated alternatives: any of them.
            Some(text) => text
                .split(',')
                .any(|part| path.to_string_lossy().contains(part)),
            None => true,
        })
        .collect();
    if files.is_empty() {
        eprintln!(
            "xtask: no conformance case under {}{}",
            options.dir.display(),
            match &options.filter {
                Some(text) => format!(" matches --filter {text:?}"),
                None => String::new(),
            }
        );
        println!("0 passed, 0 failed");
        return Ok(false);
    }
    let cases: Vec<(PathBuf, Result<Case, String>)> = files
        .into_iter()
        .map(|path| (path.clone(), load(&path)))
        .collect();
    let runner = match &options.runner {
        Some(words) => Runner {
            program: words[0].clone(),
            args: words[1..].to_vec(),
        },
        None => build_runner()?,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    runtime.block_on(run_all(runner, cases, &options))
}

/// Every `*.lua` file under `dir`, recursively, sorted by path.
fn discover(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "lua") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Reads and parses one case file.
fn load(path: &Path) -> Result<Case, String> {
    let source =
        std::fs::read_to_string(path).map_err(|err| format!("cannot read the case: {err}"))?;
    case::parse(&source)
}

/// Builds our runner in release mode and returns how to invoke it.
fn build_runner() -> anyhow::Result<Runner> {
    Ok(Runner {
        program: crate::tools::runner()?.to_string_lossy().into_owned(),
        args: Vec::new(),
    })
}

/// Why a case is not run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SkipReason {
    /// Its `transports` (or `busy_port`) exclude `--transport NAME`.
    Transport(&'static str),
    /// The runner lacks this capability.
    Missing(Capability),
    /// The runner's Lua is not among the case's `lua` versions.
    Lua(String),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Transport(name) => write!(f, "not for --transport {name}"),
            Self::Missing(capability) => write!(f, "needs {capability}"),
            Self::Lua(text) => f.write_str(text),
        }
    }
}

/// What to do with one case file.
enum Plan {
    /// It fails without running (an invalid case file, or a `lua` case
    /// when the runner's Lua cannot be told).
    Fail(String),
    /// It is not run, for these reasons (each with its text for the
    /// case's line).
    Skip(Vec<(SkipReason, String)>),
    /// It runs.
    Run,
}

/// What is known of the runner's Lua.
#[derive(Debug, Clone)]
enum RunnerLua {
    /// Not asked (no case to run needs it).
    Unasked,
    /// This version.
    Known(LuaVersion),
    /// The probe failed, for this reason.
    Unknown(String),
}

/// Decides whether `case` runs with this transport, these capabilities
/// and this Lua (`Unasked`: `lua` is not judged).
fn plan(case: &Result<Case, String>, options: &Options, lua: &RunnerLua) -> Plan {
    let case = match case {
        Err(err) => return Plan::Fail(format!("invalid case file: {err}")),
        Ok(case) => case,
    };
    let mut reasons = Vec::new();
    if !case.applies_to(options.transport.name()) {
        reasons.push(SkipReason::Transport(options.transport.name()));
    }
    reasons.extend(
        options
            .capabilities
            .missing(&case.needs())
            .into_iter()
            .map(SkipReason::Missing),
    );
    // The `fix`/`ext` reasons say which clauses, on the case's line.
    let detail = |reason: &SkipReason| match reason {
        SkipReason::Missing(Capability::Fix) => {
            format!("{reason} (pins the [fix] of {})", case.fix.join(", "))
        }
        SkipReason::Missing(Capability::Ext) => {
            format!("{reason} (pins the [ext] of {})", case.ext.join(", "))
        }
        other => other.to_string(),
    };
    let mut reasons: Vec<(SkipReason, String)> = reasons
        .into_iter()
        .map(|reason| {
            let text = detail(&reason);
            (reason, text)
        })
        .collect();
    if !case.lua.is_empty() {
        match lua {
            RunnerLua::Known(lua) if !case.lua.iter().any(|req| req.accepts(*lua)) => {
                let wants: Vec<String> = case.lua.iter().map(ToString::to_string).collect();
                let reason = SkipReason::Lua(format!(
                    "for Lua {} (the runner has {lua})",
                    wants.join(", ")
                ));
                let text = reason.to_string();
                reasons.push((reason, text));
            }
            RunnerLua::Unknown(err) if reasons.is_empty() => return Plan::Fail(err.clone()),
            _ => {}
        }
    }
    if reasons.is_empty() {
        Plan::Run
    } else {
        Plan::Skip(reasons)
    }
}

/// The kind of a case: the first directory under the cases' directory
/// (`http`, `ws`, `env`), or `.` for a case right in it.
fn kind(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    let mut components = relative.components();
    match (components.next(), components.next()) {
        (Some(first), Some(_)) => first.as_os_str().to_string_lossy().into_owned(),
        _ => ".".to_owned(),
    }
}

/// Counts of one kind of case.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
}

/// The runner's Lua for the `lua` cases that would run: `--lua`, else the
/// probe's answer (asked only if such a case exists).
async fn runner_lua(
    runner: &Runner,
    cases: &[(PathBuf, Result<Case, String>)],
    options: &Options,
) -> RunnerLua {
    if let Some(lua) = options.lua {
        return RunnerLua::Known(lua);
    }
    let asks = cases.iter().any(|(_, case)| {
        case.as_ref().is_ok_and(|c| !c.lua.is_empty())
            && matches!(plan(case, options, &RunnerLua::Unasked), Plan::Run)
    });
    if !asks {
        return RunnerLua::Unasked;
    }
    match lua::probe(runner).await {
        Ok(lua) => {
            println!("== conformance: the runner has {lua}");
            RunnerLua::Known(lua)
        }
        Err(err) => RunnerLua::Unknown(err),
    }
}

/// Runs the cases, at most `options.jobs` at once, and prints one line per
/// case in path order as soon as it and all cases before it are done; then
/// the skip reasons, one line per kind and `N passed, M failed`.
async fn run_all(
    runner: Runner,
    cases: Vec<(PathBuf, Result<Case, String>)>,
    options: &Options,
) -> anyhow::Result<bool> {
    if !options.capabilities.is_all() {
        println!(
            "== conformance: runner capabilities {}",
            options.capabilities.describe()
        );
    }
    let lua = runner_lua(&runner, &cases, options).await;
    let runner = Arc::new(runner);
    let slots = Arc::new(Semaphore::new(options.jobs));
    let transport = options.transport;
    let tasks: Vec<_> = cases
        .into_iter()
        .map(|(path, case)| {
            let plan = plan(&case, options, &lua);
            let runner = Arc::clone(&runner);
            let slots = Arc::clone(&slots);
            tokio::spawn(async move {
                let outcome = match plan {
                    Plan::Fail(failure) => Ok(Outcome {
                        failure: Some(failure),
                        output: process::Output::default(),
                    }),
                    Plan::Skip(reasons) => Err(reasons),
                    Plan::Run => {
                        let case = case.as_ref().expect("a case that runs is valid");
                        let _slot = slots
                            .acquire()
                            .await
                            .expect("the semaphore is never closed");
                        Ok(run::case(&runner, &path, case, transport).await)
                    }
                };
                (path, case.ok(), outcome)
            })
        })
        .collect();
    let mut kinds: BTreeMap<String, Tally> = BTreeMap::new();
    let mut reasons: BTreeMap<SkipReason, usize> = BTreeMap::new();
    for task in tasks {
        let (path, case, outcome) = task.await.context("a case task panicked")?;
        let tally = kinds.entry(kind(&options.dir, &path)).or_default();
        let clauses = case
            .as_ref()
            .map(|case| case.clauses.join(","))
            .unwrap_or_default();
        let mut out = std::io::stdout().lock();
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(skip) => {
                tally.skipped += 1;
                let text: Vec<&str> = skip.iter().map(|(_, text)| text.as_str()).collect();
                writeln!(
                    out,
                    "skip {} [{clauses}]: {}",
                    path.display(),
                    text.join("; ")
                )?;
                for (reason, _) in skip {
                    *reasons.entry(reason).or_default() += 1;
                }
                continue;
            }
        };
        match &outcome.failure {
            None => {
                tally.passed += 1;
                writeln!(out, "ok   {} [{clauses}]", path.display())?;
            }
            Some(reason) => {
                tally.failed += 1;
                writeln!(out, "FAIL {} [{clauses}]: {reason}", path.display())?;
                if options.verbose {
                    if let Some(case) = case.as_ref().filter(|c| !c.summary.is_empty()) {
                        writeln!(out, "    summary: {}", case.summary)?;
                    }
                    print_output(&mut out, &outcome)?;
                }
            }
        }
        out.flush()?;
    }
    print!("{}", summary(&kinds, &reasons));
    Ok(kinds.values().all(|tally| tally.failed == 0))
}

/// The end of the report: the skip reasons with how many cases each (if
/// any case was skipped), one line per kind, and `N passed, M failed`
/// alone on the last line (what other tools look for).
fn summary(kinds: &BTreeMap<String, Tally>, reasons: &BTreeMap<SkipReason, usize>) -> String {
    let mut text = String::new();
    let total = kinds.values().fold(Tally::default(), |sum, t| Tally {
        passed: sum.passed + t.passed,
        failed: sum.failed + t.failed,
        skipped: sum.skipped + t.skipped,
    });
    if total.skipped > 0 {
        text.push_str(&format!(
            "{} skipped, by reason (a case may have several):\n",
            total.skipped
        ));
        for (reason, count) in reasons {
            text.push_str(&format!("  {count:>4}  {reason}\n"));
        }
    }
    let width = kinds.keys().map(String::len).max().unwrap_or(0);
    for (kind, t) in kinds {
        text.push_str(&format!(
            "{:<width$} {} passed, {} failed, {} skipped\n",
            format!("{kind}:"),
            t.passed,
            t.failed,
            t.skipped,
            width = width + 1
        ));
    }
    text.push_str(&format!(
        "{} passed, {} failed\n",
        total.passed, total.failed
    ));
    text
}

/// Prints a failing case's runner output, indented.
fn print_output(out: &mut impl std::io::Write, outcome: &Outcome) -> std::io::Result<()> {
    for (name, bytes) in [
        ("stdout", &outcome.output.stdout),
        ("stderr", &outcome.output.stderr),
    ] {
        if bytes.is_empty() {
            writeln!(out, "    {name}: (empty)")?;
            continue;
        }
        writeln!(out, "    {name}:")?;
        for line in String::from_utf8_lossy(bytes).lines() {
            writeln!(out, "    | {line}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(capabilities: &str) -> Options {
        Options {
            capabilities: capability::Capabilities::parse(capabilities).unwrap(),
            ..Options::default()
        }
    }

    fn parsed(toml: &str) -> Result<Case, String> {
        case::parse(&format!("--[==[case\n{toml}\n]==]\nprint('ok')\n"))
    }

    fn texts(plan: Plan) -> Vec<String> {
        match plan {
            Plan::Skip(reasons) => reasons.into_iter().map(|(_, text)| text).collect(),
            Plan::Run => vec!["run".to_owned()],
            Plan::Fail(err) => vec![format!("fail: {err}")],
        }
    }

    #[test]
    fn plans_by_capabilities_transport_and_lua() {
        let case = parsed(
            "clauses = [\"R5\", \"R6\"]\nrunner_args = [\"--response-timeout\", \"1\"]\n\
             fix = [\"R5\", \"R6\"]\nstdin = 'x'\nlua = \"5.3+\"\ntransports = [\"tcp\"]",
        );
        let lua52 = RunnerLua::Known(LuaVersion::Lua52);
        assert_eq!(
            texts(plan(&case, &options("script-port"), &lua52)),
            [
                "needs runner option --response-timeout",
                "needs stdin",
                "needs fix (pins the [fix] of R5, R6)",
                "for Lua 5.3+ (the runner has Lua 5.2)",
            ]
        );
        let lua54 = RunnerLua::Known(LuaVersion::Lua54);
        assert_eq!(texts(plan(&case, &options("all"), &lua54)), ["run"]);
        assert_eq!(
            texts(plan(
                &case,
                &options("--response-timeout,stdin,fix"),
                &lua54
            )),
            ["run"]
        );
        let memory = Options {
            transport: Transport::Memory,
            ..Options::default()
        };
        assert_eq!(
            texts(plan(&case, &memory, &lua54)),
            ["not for --transport memory"]
        );
        // A Lua that cannot be told fails the cases that would run.
        let unknown = RunnerLua::Unknown("no probe".to_owned());
        assert_eq!(
            texts(plan(&case, &options("all"), &unknown)),
            ["fail: no probe"]
        );
        assert_eq!(
            texts(plan(&case, &options("all"), &RunnerLua::Unasked)),
            ["run"]
        );
        let invalid = texts(plan(&parsed("summary = 'x'"), &options("all"), &lua54));
        assert!(
            invalid[0].starts_with("fail: invalid case file"),
            "{invalid:?}"
        );
    }

    #[test]
    fn kinds_and_summary() {
        let dir = Path::new("tests/conformance");
        assert_eq!(kind(dir, Path::new("tests/conformance/http/a.lua")), "http");
        assert_eq!(kind(dir, Path::new("tests/conformance/ws/x/b.lua")), "ws");
        assert_eq!(kind(dir, Path::new("tests/conformance/top.lua")), ".");
        let tally = |passed, failed, skipped| Tally {
            passed,
            failed,
            skipped,
        };
        let kinds = BTreeMap::from([
            ("env".to_owned(), tally(3, 0, 1)),
            ("http".to_owned(), tally(2, 1, 2)),
        ]);
        let reasons = BTreeMap::from([
            (
                SkipReason::Missing(Capability::Option("--root".to_owned())),
                2,
            ),
            (SkipReason::Missing(Capability::Stdin), 1),
        ]);
        assert_eq!(
            summary(&kinds, &reasons),
            "3 skipped, by reason (a case may have several):\n\
             \x20    2  needs runner option --root\n\
             \x20    1  needs stdin\n\
             env:  3 passed, 0 failed, 1 skipped\n\
             http: 2 passed, 1 failed, 2 skipped\n\
             5 passed, 1 failed\n"
        );
        // Nothing skipped: no reasons block; the last line as before.
        let kinds = BTreeMap::from([("ws".to_owned(), tally(4, 0, 0))]);
        assert_eq!(
            summary(&kinds, &BTreeMap::new()),
            "ws: 4 passed, 0 failed, 0 skipped\n4 passed, 0 failed\n"
        );
    }

    /// The whole run with a stand-in runner (`sh`, running the shell code
    /// after a case's header from the case's directory): cases the
    /// capabilities exclude are skipped (they would fail if run), a case
    /// with `files` sees exactly its files beside its script.
    #[test]
    fn runs_and_skips_with_a_stand_in_runner() {
        let dir =
            std::env::temp_dir().join(format!("xtask-conformance-run-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cases = dir.join("cases");
        std::fs::create_dir_all(cases.join("k")).unwrap();
        let runner = dir.join("runner.sh");
        std::fs::write(
            &runner,
            "cd \"$(dirname \"$1\")\" && sed '1,/^]==]/d' \"$(basename \"$1\")\" | sh -s -- \"$2\"\n",
        )
        .unwrap();
        let write = |name: &str, header: &str, body: &str| {
            std::fs::write(
                cases.join(name),
                format!("--[==[case\nclauses = [\"X1\"]\n{header}\n]==]\n{body}\n"),
            )
            .unwrap();
        };
        std::fs::write(cases.join("k/helper.txt"), "help\n").unwrap();
        write(
            "k/a-staged.lua",
            "files = [\"helper.txt\"]\nstdout = 'k\\na-staged.lua\\nhelper.txt\\nhelp\\n'",
            "basename \"$PWD\"; ls; cat helper.txt",
        );
        write(
            "k/b-option.lua",
            "runner_args = [\"--root\", \"x\"]\nstdout = 'ok\\n'",
            "echo never",
        );
        write(
            "k/c-fix.lua",
            "fix = [\"X1\"]\nstdout = 'ok\\n'",
            "echo never",
        );
        write(
            "k/d-lua.lua",
            "lua = \"5.4\"\nstdout = 'ok\\n'",
            "echo never",
        );
        write("top.lua", "stdout = 'top\\n'", "echo top");
        let run_with = |extra: &[&str]| {
            let mut args: Vec<String> = [
                "--runner",
                &format!("sh {}", runner.display()),
                "--dir",
                &cases.display().to_string(),
                "--lua",
                "5.2",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            args.extend(extra.iter().map(|s| s.to_string()));
            run(&args).unwrap()
        };
        assert!(run_with(&["--capabilities", "script-port,script-dir"]));
        assert!(run_with(&[
            "--capabilities",
            "script-port",
            "--filter",
            "a-staged,top"
        ]));
        // With everything claimed, the cases that would fail run and fail.
        assert!(!run_with(&["--capabilities", "all", "--filter", "c-fix"]));
        assert!(!run_with(&["--filter", "b-option"]));
        assert!(!run_with(&["--lua", "5.4", "--filter", "d-lua,a-staged"]));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
