//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use std::process::Command;

use anyhow::Context;

use crate::cargo;

/// Run `cargo fmt --check`, clippy with `-D warnings`, the workspace tests
/// and the conformance suite. Ok(true) when all pass.
pub(crate) fn run(_args: &[String]) -> anyhow::Result<bool> {
    let steps: [(&str, &[&str]); 3] = [
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
        ("tests", &["test", "--workspace"]),
    ];
    for (name, args) in steps {
        println!("== {name}: cargo {}", args.join(" "));
        let status = Command::new(cargo())
            .args(args)
            .status()
            .with_context(|| format!("running cargo {}", args.join(" ")))?;
        if !status.success() {
            println!("== {name} failed");
            return Ok(false);
        }
    }
    println!("== conformance: cargo xtask conformance");
    crate::conformance::run(&[])
}
