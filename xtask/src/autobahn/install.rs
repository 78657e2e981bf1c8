//! Installing `wstest`: every Autobahn|Testsuite release is Python 2 code,
//! so it goes into a Python 2.7 virtualenv (`target/autobahn/py2`) made by
//! `virtualenv` 20.21.1 (the last that makes 2.7 environments), itself in
//! a Python 3 venv (`target/autobahn/py3`). The dependencies are pinned to
//! the last versions that work on 2.7. A stamp in `py2` records what was
//! installed, so a second run only checks it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context as _;

use super::apt;

/// The suite's version.
const AUTOBAHN: &str = "0.8.2";
/// The virtualenv that creates the Python 2.7 environment.
const VIRTUALENV: &str = "20.21.1";
/// The Python 2.7 interpreter, from Debian bullseye's `python2.7`.
const PYTHON2: &str = "/usr/bin/python2.7";
/// Its headers (`python2.7-dev`): wsaccel, ujson and Twisted build C code.
const PYTHON2_HEADER: &str = "/usr/include/python2.7/Python.h";
/// The Python 3 that runs virtualenv (needs `python3-venv` on Debian).
const PYTHON3: &str = "/usr/bin/python3";
/// Pins for `autobahntestsuite` 0.8.2's dependencies on Python 2.7.
const CONSTRAINTS: &str = "\
attrs==21.4.0
autobahn==0.10.9
Automat==22.10.0
cffi==1.15.1
constantly==15.1.0
cryptography==3.3.2
enum34==1.1.10
hyperlink==21.0.0
idna==2.10
incremental==22.10.0
ipaddress==1.0.23
Jinja2==2.11.3
klein==20.6.0
linecache2==1.0.0
MarkupSafe==1.1.1
pyasn1==0.5.1
pyasn1-modules==0.3.0
pycparser==2.21
PyHamcrest==1.10.1
pyOpenSSL==21.0.0
service-identity==21.1.0
six==1.17.0
traceback2==1.4.0
Tubes==0.2.1
Twisted==20.3.0
txaio==2.1.0
typing==3.10.0.0
ujson==2.0.3
unittest2==1.1.0
Werkzeug==1.0.1
wsaccel==0.6.6
zope.interface==5.5.2
";
/// pip's flags for a quiet install that still shows errors.
const PIP_QUIET: &[&str] = &["install", "--quiet", "--disable-pip-version-check"];

/// Makes sure `wstest` is installed under `dir` and returns its path.
pub(crate) fn ensure(dir: &Path) -> anyhow::Result<PathBuf> {
    let py2 = dir.join("py2");
    let wstest = py2.join("bin").join("wstest");
    let stamp = py2.join("craftos-http-autobahn.stamp");
    if is_installed(&py2, &stamp) {
        println!(
            "== autobahn: autobahntestsuite {AUTOBAHN} already installed in {}",
            py2.display()
        );
        return Ok(wstest);
    }
    system_packages()?;
    let virtualenv = virtualenv(dir)?;
    python2_env(&virtualenv, &py2)?;
    suite(dir, &py2)?;
    std::fs::write(&stamp, stamp_text()).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(wstest)
}

/// What the stamp holds: everything that decides the installation.
fn stamp_text() -> String {
    format!("autobahntestsuite=={AUTOBAHN}\nvirtualenv=={VIRTUALENV}\n{CONSTRAINTS}")
}

/// Whether `py2` holds this very installation and still imports.
fn is_installed(py2: &Path, stamp: &Path) -> bool {
    std::fs::read_to_string(stamp).is_ok_and(|text| text == stamp_text())
        && succeeds(
            Command::new(py2.join("bin").join("python"))
                .args(["-c", "import autobahntestsuite.wstest"]),
        )
}

/// Installs with APT what is missing of: Python 2.7 with headers, Python 3
/// with venv, a C compiler.
fn system_packages() -> anyhow::Result<()> {
    let python2 = Path::new(PYTHON2).exists()
        && Path::new(PYTHON2_HEADER).exists()
        && succeeds(Command::new(PYTHON2).args(["-c", "pass"]));
    let python3 = succeeds(Command::new(PYTHON3).args(["-c", "import ensurepip, venv"]));
    let compiler = succeeds(Command::new("cc").arg("--version"));
    let mut packages = Vec::new();
    if !python2 {
        packages.extend(["python2.7", "python2.7-dev"]);
    }
    if !python3 {
        packages.push("python3-venv");
    }
    if !compiler {
        packages.push("gcc");
    }
    if packages.is_empty() {
        println!("== autobahn: python2.7, python3 venv and cc present: nothing from APT");
        return Ok(());
    }
    apt::install(&packages, !python2)
}

/// A Python 3 venv in `dir/py3` with virtualenv; returns its `virtualenv`.
fn virtualenv(dir: &Path) -> anyhow::Result<PathBuf> {
    let py3 = dir.join("py3");
    let bin = py3.join("bin");
    if !bin.join("pip").exists() {
        run(
            Command::new(PYTHON3).args(["-m", "venv"]).arg(&py3),
            &format!("python3 -m venv {}", py3.display()),
        )?;
    }
    run(
        Command::new(bin.join("pip"))
            .args(PIP_QUIET)
            .arg(format!("virtualenv=={VIRTUALENV}")),
        &format!("pip install virtualenv=={VIRTUALENV} (python3)"),
    )?;
    Ok(bin.join("virtualenv"))
}

/// A fresh Python 2.7 virtualenv in `py2` (its pip, setuptools and wheel
/// come from virtualenv's own wheels: no download).
fn python2_env(virtualenv: &Path, py2: &Path) -> anyhow::Result<()> {
    if py2.exists() {
        std::fs::remove_dir_all(py2).with_context(|| format!("removing {}", py2.display()))?;
    }
    run(
        Command::new(virtualenv)
            .args(["--quiet", "--no-periodic-update", "--python", PYTHON2])
            .arg(py2),
        &format!("virtualenv --python {PYTHON2} {}", py2.display()),
    )
}

/// Installs the suite into `py2` under the pins (written to
/// `dir/constraints.txt`).
fn suite(dir: &Path, py2: &Path) -> anyhow::Result<()> {
    let constraints = dir.join("constraints.txt");
    std::fs::write(&constraints, CONSTRAINTS)
        .with_context(|| format!("writing {}", constraints.display()))?;
    run(
        Command::new(py2.join("bin").join("pip"))
            .args(PIP_QUIET)
            .arg("--no-python-version-warning")
            .arg("--constraint")
            .arg(&constraints)
            .arg(format!("autobahntestsuite=={AUTOBAHN}")),
        &format!(
            "pip install autobahntestsuite=={AUTOBAHN} --constraint {} (python2.7)",
            constraints.display()
        ),
    )
}

/// Runs `command` with its output shown, after printing `what`.
fn run(command: &mut Command, what: &str) -> anyhow::Result<()> {
    println!("== autobahn: {what}");
    let status = command
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("starting {what}"))?;
    anyhow::ensure!(status.success(), "{what} failed ({status})");
    Ok(())
}

/// Whether `command` runs and exits with 0 (output discarded).
fn succeeds(command: &mut Command) -> bool {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_are_exact_pins() {
        let lines: Vec<&str> = CONSTRAINTS.lines().collect();
        assert_eq!(lines.len(), 32);
        for line in lines {
            let (name, version) = line.split_once("==").expect(line);
            assert!(!name.is_empty() && !version.is_empty(), "{line}");
        }
    }

    #[test]
    fn a_missing_stamp_means_not_installed() {
        let dir = std::env::temp_dir().join("xtask-autobahn-no-such-env");
        assert!(!is_installed(&dir, &dir.join("stamp")));
    }
}
