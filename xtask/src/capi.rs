//! `cargo xtask capi`: builds the C ABI (`crates/craftos-http-capi`, its
//! own workspace, into `target/capi`) and proves it from C: the library
//! defines no Lua symbol (it must use its host's Lua), and
//! `tests/embed.c`, compiled with the system's C compiler against the
//! system's Lua 5.2 (pkg-config `lua5.2`; Debian: `liblua5.2-dev`), embeds
//! it and serves real requests on 127.0.0.1.
//!
//! Steps: `cargo fmt --check`, clippy `-D warnings`, the crate's unit
//! tests and its docs (`-D warnings`), `cargo build`, the symbol check,
//! `cc`, then the program, killed if it runs longer than a minute.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;

/// The crate, from the project root.
const CRATE: &str = "crates/craftos-http-capi";
/// The program's longest run.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

const USAGE: &str = "\
cargo xtask capi

Builds crates/craftos-http-capi (the C ABI: libcraftos_http and
include/craftos_http.h) into target/capi, checks it (fmt, clippy, unit tests,
docs, no Lua symbol of its own), compiles tests/embed.c with cc against the
system's Lua 5.2 (pkg-config lua5.2; Debian: apt-get install liblua5.2-dev
pkg-config) and runs it: a C emulator serving real HTTP requests through the
library.
";

/// Runs the task; `Ok(true)` iff every step passed.
pub(crate) fn run(args: &[String]) -> anyhow::Result<bool> {
    if let Some(arg) = args.first() {
        if arg == "--help" || arg == "-h" {
            print!("{USAGE}");
            return Ok(true);
        }
        anyhow::bail!("unknown argument `{arg}`\n\n{USAGE}");
    }
    let lua = pkg_config_lua()?;
    let target = std::path::absolute(crate::tools::target_dir().join("capi"))
        .context("resolving the target directory")?;
    let manifest = format!("{CRATE}/Cargo.toml");
    let cargo_steps: [(&str, Vec<&str>); 5] = [
        (
            "format",
            vec!["fmt", "--manifest-path", &manifest, "--", "--check"],
        ),
        (
            "lint",
            vec![
                "clippy",
                "--manifest-path",
                &manifest,
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        ("unit tests", vec!["test", "--manifest-path", &manifest]),
        (
            "docs",
            vec!["doc", "--no-deps", "--manifest-path", &manifest],
        ),
        ("build", vec!["build", "--manifest-path", &manifest]),
    ];
    for (name, args) in &cargo_steps {
        println!("== capi: {name}: cargo {}", args.join(" "));
        let status = Command::new(crate::cargo())
            .args(args)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTDOCFLAGS", "-D warnings")
            .status()
            .with_context(|| format!("running cargo {}", args.join(" ")))?;
        if !status.success() {
            println!("== capi: {name} failed");
            return Ok(false);
        }
    }
    let out = target.join("debug");
    let library = out.join(format!(
        "{}craftos_http{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ));

    println!("== capi: the library defines no Lua symbol");
    let lua_symbols = defined_lua_symbols(&library)?;
    if !lua_symbols.is_empty() {
        println!(
            "== capi: {} defines Lua's own symbols (a second Lua in the host's process): {}",
            library.display(),
            lua_symbols.join(" ")
        );
        return Ok(false);
    }

    let program = out.join("embed");
    let mut cc = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".to_owned()));
    cc.args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-O1", "-o"])
        .arg(&program)
        .arg(format!("{CRATE}/tests/embed.c"))
        .arg(format!("-I{CRATE}/include"))
        .args(&lua.cflags)
        .arg(format!("-L{}", out.display()))
        .arg("-lcraftos_http")
        .args(&lua.libs)
        .arg("-lpthread")
        .arg(format!("-Wl,-rpath,{}", out.display()));
    println!("== capi: {cc:?}");
    let status = cc.status().context("running the C compiler (cc)")?;
    if !status.success() {
        println!("== capi: compiling tests/embed.c failed");
        return Ok(false);
    }

    let port = two_free_ports()?;
    println!("== capi: {} {port}", program.display());
    let passed = run_bounded(Command::new(&program).arg(port.to_string()), RUN_TIMEOUT)?;
    if !passed {
        println!("== capi: tests/embed.c failed");
    }
    Ok(passed)
}

/// What pkg-config says to compile and link against Lua 5.2.
struct Lua {
    cflags: Vec<String>,
    libs: Vec<String>,
}

fn pkg_config_lua() -> anyhow::Result<Lua> {
    let query = |what: &str| -> anyhow::Result<Vec<String>> {
        let out = Command::new("pkg-config")
            .args([what, "lua5.2"])
            .output()
            .context(
                "running pkg-config (install it and the system Lua 5.2: on Debian, \
                 `apt-get install pkg-config liblua5.2-dev`)",
            )?;
        anyhow::ensure!(
            out.status.success(),
            "pkg-config finds no lua5.2 (on Debian: `apt-get install liblua5.2-dev`): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        Ok(String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .map(str::to_owned)
            .collect())
    };
    Ok(Lua {
        cflags: query("--cflags")?,
        libs: query("--libs")?,
    })
}

/// The `lua_*` / `luaL_*` / `luaopen_*` symbols `library` defines itself.
fn defined_lua_symbols(library: &Path) -> anyhow::Result<Vec<String>> {
    let out = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(library)
        .output()
        .context("running nm (binutils)")?;
    anyhow::ensure!(
        out.status.success(),
        "nm {}: {}",
        library.display(),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let exported = text.lines().filter_map(|l| l.split_whitespace().last());
    let mut craftos = 0;
    let mut lua = Vec::new();
    for name in exported {
        if name.starts_with("craftos_http_") {
            craftos += 1;
        }
        if ["lua_", "luaL_", "luaopen_"]
            .iter()
            .any(|p| name.starts_with(p))
        {
            lua.push(name.to_owned());
        }
    }
    // A sanity check of the check: the library's own functions are there.
    anyhow::ensure!(
        craftos > 0,
        "nm lists no craftos_http_ function in {}",
        library.display()
    );
    Ok(lua)
}

/// A port on 127.0.0.1 free together with the next one (the program uses
/// both).
fn two_free_ports() -> anyhow::Result<u16> {
    for _ in 0..50 {
        let port = crate::tools::free_port().context("finding a free port")?;
        if port < u16::MAX && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return Ok(port);
        }
    }
    anyhow::bail!("found no two free consecutive ports on 127.0.0.1")
}

/// Run `command` (output passed through), killed after `timeout`; whether
/// it exited with status 0.
fn run_bounded(command: &mut Command, timeout: Duration) -> anyhow::Result<bool> {
    let mut child = command
        .stdin(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status.success());
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            println!("== capi: killed after {timeout:?}");
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
