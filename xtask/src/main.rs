//! `cargo xtask <task>`: project automation for craftos-http.
//!
//! Tasks:
//! - `test`: what CI runs: the clauses, `cargo fmt --check`, clippy with
//!   `-D warnings`, `cargo test --workspace`, the conformance suite, then
//!   the soak.
//! - `conformance [--runner CMD] [--capabilities LIST] [--filter TEXT]
//!   [--jobs N]`: run the Lua conformance cases in `tests/conformance/`
//!   against the runner (ours by default; another emulator's with the
//!   capabilities it has, the others' cases skipped) and print `N passed,
//!   M failed`.
//! - `clauses`: every clause of `docs/SEMANTICS.md` pinned by a conformance
//!   case, and the file in step with the shared spec (see `clauses.rs`).
//! - `autobahn`: run the Autobahn|Testsuite fuzzing client against the
//!   runner serving `examples/ws-echo.lua`.
//! - `bench http|ws|host`: measure the runner against a bare baseline in one
//!   run and print the ratio (see `bench.rs`).
//! - `lua-versions`: the conformance suite against the runner built for each
//!   other Lua version.
//! - `soak`: a million keep-alive requests and ten thousand idle WebSocket
//!   clients, the runner's memory watched (see `bench/soak.rs`).
//! - `features`: `craftos-http-lua` and `craftos-http-env` checked with
//!   each feature set an embedder may choose (see `features.rs`).
//! - `capi`: the C ABI built and embedded by a C program against the
//!   system's Lua 5.2 (see `capi.rs`).
//!
//! With no arguments, prints this help.

mod autobahn;
mod bench;
mod capi;
mod ci;
mod clauses;
mod conformance;
mod features;
mod lua_versions;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <task> [args]

tasks:
  test
      everything CI checks: the clauses, fmt --check, clippy -D warnings,
      cargo test --workspace, the feature sets, the C ABI, the conformance
      suite (TCP and in-memory), then the soak
  conformance [--runner CMD] [--capabilities LIST] [--filter TEXT] [--jobs N]
      run tests/conformance/**/*.lua against the runner (default: ours, built
      in release mode) and print one line per case, then `N passed, M failed`;
      another emulator's runner: --capabilities script-port,... skips the
      cases it cannot express (`cargo xtask conformance --help`)
  clauses
      every clause of docs/SEMANTICS.md pinned by a conformance case (the
      others listed), and in step with ../shared/spec/SEMANTICS.md if there
  bench http|ws|host [options]
      http: bare hyper hello vs. the runner's http.listen hello, same run,
      ratio b/a; ws: bare fastwebsockets echo vs. examples/ws-echo.lua, and
      memory per idle client; host: N computers on one host (see
      `cargo xtask bench ws --help` and the others)
  autobahn [--cases LIST] [--runner CMD] [--script FILE]
      Autobahn|Testsuite (cases 1-10) against the runner's examples/ws-echo.lua
  lua-versions [--versions lua51,lua53,lua54,luajit] [conformance options]
      build the runner per Lua version into target/lua-versions, run the
      conformance suite against each, one summary line per version
  soak [--requests N] [--ws-clients N] [--max-growth-mib MIB] [--max-client-kib KIB]
      1M keep-alive requests to the runner's hello with its RSS sampled (fails
      if it grows), then 10k idle WebSocket clients (RSS per client)
  features
      craftos-http-lua and craftos-http-env checked with each feature set an
      embedder may choose (per Lua version, system Lua, module, mlua's send;
      none: our error)
  capi
      build the C ABI (crates/craftos-http-capi) into target/capi and run
      tests/embed.c against it and the system's Lua 5.2 (pkg-config lua5.2)
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(task) = args.next() else {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    };
    let rest: Vec<String> = args.collect();
    if let Err(err) = std::env::set_current_dir(project_root()) {
        eprintln!("xtask: cannot enter the project root: {err}");
        return ExitCode::FAILURE;
    }
    let result = match task.as_str() {
        "test" => ci::run(&rest),
        "conformance" => conformance::run(&rest),
        "clauses" => clauses::run(&rest),
        "bench" => bench::run(&rest),
        "autobahn" => autobahn::run(&rest),
        "lua-versions" => lua_versions::run(&rest),
        "soak" => bench::soak::run(&rest),
        "features" => features::run(&rest),
        "capi" => capi::run(&rest),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(true)
        }
        other => {
            eprintln!("xtask: unknown task `{other}`\n\n{HELP}");
            Ok(false)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's manifest directory.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

/// The cargo binary that invoked us (`$CARGO`), or `cargo`.
pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}
