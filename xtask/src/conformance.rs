//! `cargo xtask conformance`: runs the Lua conformance cases in
//! `tests/conformance/` against a runner and reports one line per case,
//! then `N passed, M failed`. The case format is specified in
//! `tests/conformance/README.md`.

mod case;
mod check;
mod client;
mod escape;
mod memory;
mod options;
mod process;
mod run;
mod stream;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use tokio::sync::Semaphore;

use case::Case;
use options::Options;
use process::Runner;
use run::Outcome;

/// Runs the suite with the given arguments; `Ok(true)` iff every case passed.
pub(crate) fn run(args: &[String]) -> anyhow::Result<bool> {
    let options = options::parse(args)?;
    if options.help {
        print!("{}", options::USAGE);
        return Ok(true);
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

/// Runs the cases, at most `options.jobs` at once, and prints one line per
/// case in path order as soon as it and all cases before it are done.
async fn run_all(
    runner: Runner,
    cases: Vec<(PathBuf, Result<Case, String>)>,
    options: &Options,
) -> anyhow::Result<bool> {
    let runner = Arc::new(runner);
    let slots = Arc::new(Semaphore::new(options.jobs));
    let transport = options.transport;
    let tasks: Vec<_> = cases
        .into_iter()
        .map(|(path, case)| {
            let runner = Arc::clone(&runner);
            let slots = Arc::clone(&slots);
            tokio::spawn(async move {
                let outcome = match &case {
                    Err(err) => Some(Outcome {
                        failure: Some(format!("invalid case file: {err}")),
                        output: process::Output::default(),
                    }),
                    Ok(case) if !case.applies_to(transport.name()) => None,
                    Ok(case) => {
                        let _slot = slots
                            .acquire()
                            .await
                            .expect("the semaphore is never closed");
                        Some(run::case(&runner, &path, case, transport).await)
                    }
                };
                (path, case.ok(), outcome)
            })
        })
        .collect();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for task in tasks {
        let (path, case, outcome) = task.await.context("a case task panicked")?;
        let Some(outcome) = outcome else {
            skipped += 1;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "skip {} (not for --transport {})",
                path.display(),
                options.transport.name()
            )?;
            continue;
        };
        let clauses = case
            .as_ref()
            .map(|case| case.clauses.join(","))
            .unwrap_or_default();
        let mut out = std::io::stdout().lock();
        match &outcome.failure {
            None => {
                passed += 1;
                writeln!(out, "ok   {} [{clauses}]", path.display())?;
            }
            Some(reason) => {
                failed += 1;
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
    if skipped > 0 {
        println!(
            "{skipped} skipped: about TCP or HTTP/1.1 framing, not for --transport {}",
            options.transport.name()
        );
    }
    println!("{passed} passed, {failed} failed");
    Ok(failed == 0)
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
