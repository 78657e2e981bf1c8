//! `cargo xtask features`: the feature sets an embedder builds
//! `craftos-http-lua` (the binding) and `craftos-http-env` (the
//! ComputerCraft environment) with, each checked on its own (into
//! `target/features`, with `-D warnings`), so that they stay usable:
//!
//! - the binding (`install`, `event_to_lua`) on each Lua version, vendored,
//!   and the environment on Lua 5.2 and LuaJIT: no warning, their tests
//!   included;
//! - against the system's Lua (no `vendored`, found by pkg-config) and as
//!   a module (`module`, Lua resolved from the host): the binding builds;
//! - with mlua's `send` feature enabled (as another crate in an emulator's
//!   tree may): the binding builds and its doc test runs; the environment
//!   fails with our message, not a page of `Rc` errors;
//! - with no Lua version: both fail with our message naming the versions
//!   we offer, not mlua-sys's (which names others).

use std::process::Command;
use std::time::Instant;

use anyhow::Context as _;

const USAGE: &str = "\
cargo xtask features

Checks craftos-http-lua and craftos-http-env with each feature set an
embedder may choose (into target/features, -D warnings): the binding per Lua
version, the environment, the system Lua, `module`, mlua's `send`; and that
the unsupported sets (no Lua version; the environment with `send`) fail with
our message.
";

/// What a case expects.
enum Expect {
    /// `cargo check --all-targets` passes with no warning.
    Clean,
    /// `cargo test --doc` passes (the crate's doc example runs).
    DocTest,
    /// `cargo check` fails, and its output says `message`.
    Fails { message: &'static str },
}

/// One feature set of one package.
struct Case {
    package: &'static str,
    features: &'static str,
    expect: Expect,
}

const NO_LUA: &str = "craftos-http-lua needs a Lua version: enable one of the features lua51, \
                      lua52, lua53, lua54 or luajit";
const SEND_ENV: &str = "craftos-http-env and craftos-http-runner need mlua without its `send` \
                        feature";

/// The binding.
const LUA: &str = "craftos-http-lua";
/// The ComputerCraft environment.
const ENV: &str = "craftos-http-env";

const CASES: &[Case] = &[
    Case {
        package: LUA,
        features: "",
        expect: Expect::Fails { message: NO_LUA },
    },
    Case {
        package: LUA,
        features: "lua52,vendored",
        expect: Expect::Clean,
    },
    Case {
        package: LUA,
        features: "lua51,vendored",
        expect: Expect::Clean,
    },
    Case {
        package: LUA,
        features: "lua53,vendored",
        expect: Expect::Clean,
    },
    Case {
        package: LUA,
        features: "lua54,vendored",
        expect: Expect::Clean,
    },
    Case {
        package: LUA,
        features: "luajit,vendored",
        expect: Expect::Clean,
    },
    Case {
        package: LUA,
        features: "lua52",
        expect: Expect::Clean,
    },
    Case {
        package: LUA,
        features: "lua52,module",
        expect: Expect::Clean,
    },
    Case {
        package: LUA,
        features: "lua52,vendored,mlua/send",
        expect: Expect::DocTest,
    },
    Case {
        package: ENV,
        features: "",
        expect: Expect::Fails { message: NO_LUA },
    },
    Case {
        package: ENV,
        features: "lua52,vendored",
        expect: Expect::Clean,
    },
    Case {
        package: ENV,
        features: "luajit,vendored",
        expect: Expect::Clean,
    },
    Case {
        package: ENV,
        features: "lua52,vendored,mlua/send",
        expect: Expect::Fails { message: SEND_ENV },
    },
];

/// Runs the task; `Ok(true)` iff every case went as expected.
pub(crate) fn run(args: &[String]) -> anyhow::Result<bool> {
    if let Some(arg) = args.first() {
        if arg == "--help" || arg == "-h" {
            print!("{USAGE}");
            return Ok(true);
        }
        anyhow::bail!("unknown argument `{arg}`\n\n{USAGE}");
    }
    let target = crate::tools::target_dir().join("features");
    let mut failed = 0;
    for case in CASES {
        let started = Instant::now();
        let (ok, detail) = run_case(case, &target)?;
        let shown = if case.features.is_empty() {
            "(none)"
        } else {
            case.features
        };
        println!(
            "{} {:<16} {shown:<32} {detail} ({:.0?})",
            if ok { "ok  " } else { "FAIL" },
            case.package,
            started.elapsed()
        );
        if !ok {
            failed += 1;
        }
    }
    println!("{} passed, {failed} failed", CASES.len() - failed);
    Ok(failed == 0)
}

/// Runs one case: whether it went as expected, and what happened.
fn run_case(case: &Case, target: &std::path::Path) -> anyhow::Result<(bool, String)> {
    let mut command = Command::new(crate::cargo());
    match case.expect {
        Expect::DocTest => command.args(["test", "--doc"]),
        // The tests too: they must build, warning-free, with each set.
        Expect::Clean => command.args(["check", "--all-targets"]),
        Expect::Fails { .. } => command.arg("check"),
    };
    command.args([
        "-p",
        case.package,
        "--no-default-features",
        "--message-format=short",
    ]);
    if !case.features.is_empty() {
        command.args(["--features", case.features]);
    }
    let out = command
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .context("running cargo check")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("error") || l.contains("warning"))
        .filter(|l| !l.trim_start().starts_with("Compiling"))
        .collect();
    Ok(match case.expect {
        Expect::Clean | Expect::DocTest => {
            if out.status.success() {
                (true, "builds".to_owned())
            } else {
                (false, format!("failed:\n{}", errors.join("\n")))
            }
        }
        Expect::Fails { message } => {
            let first = errors.iter().find(|l| l.contains("error"));
            match first {
                _ if out.status.success() => (false, "built, but must not".to_owned()),
                Some(line) if line.contains(message) => {
                    (true, "fails with our message first".to_owned())
                }
                _ => (
                    false,
                    format!(
                        "fails, but its first error is not `{message}`:\n{}",
                        errors.join("\n")
                    ),
                ),
            }
        }
    })
}
