//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use std::process::Command;

use anyhow::Context;

use crate::cargo;

/// The library crates whose public API is documented (`-D warnings`).
const DOCUMENTED: [&str; 10] = [
    "-p",
    "craftos-http-core",
    "-p",
    "craftos-http-hyper",
    "-p",
    "craftos-http-lua",
    "-p",
    "craftos-http-env",
    "-p",
    "craftos-http-runner",
];

/// Run the clause check (`cargo xtask clauses`), `cargo fmt --check`, clippy with `-D warnings`, the docs of the
/// library crates with `-D warnings`, the workspace tests, the feature
/// sets of `craftos-http-lua` and `craftos-http-env`, the C ABI (built on
/// its own and embedded by a C program), the conformance suite over TCP
/// and over the in-memory
/// transport, and the soak. Ok(true) when all pass.
pub(crate) fn run(_args: &[String]) -> anyhow::Result<bool> {
    println!("== clauses: cargo xtask clauses");
    if !crate::clauses::run(&[])? {
        return Ok(false);
    }
    let docs: Vec<&str> = ["doc", "--no-deps"].into_iter().chain(DOCUMENTED).collect();
    let steps: [(&str, &[&str]); 4] = [
        ("format", &["fmt", "--all", "--", "--check"]),
        (
            "lint",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        ("docs", &docs),
        ("tests", &["test", "--workspace"]),
    ];
    for (name, args) in steps {
        println!("== {name}: cargo {}", args.join(" "));
        let mut command = Command::new(cargo());
        if name == "docs" {
            command.env("RUSTDOCFLAGS", "-D warnings");
        }
        let status = command
            .args(args)
            .status()
            .with_context(|| format!("running cargo {}", args.join(" ")))?;
        if !status.success() {
            println!("== {name} failed");
            return Ok(false);
        }
    }
    println!("== features: cargo xtask features");
    if !crate::features::run(&[])? {
        return Ok(false);
    }
    println!("== C ABI: cargo xtask capi");
    if !crate::capi::run(&[])? {
        return Ok(false);
    }
    println!("== conformance: cargo xtask conformance");
    if !crate::conformance::run(&[])? {
        return Ok(false);
    }
    println!(
        "== conformance over the in-memory transport: cargo xtask conformance --transport memory"
    );
    if !crate::conformance::run(&["--transport".to_owned(), "memory".to_owned()])? {
        return Ok(false);
    }
    println!("== soak: cargo xtask soak");
    crate::bench::soak::run(&[])
}
