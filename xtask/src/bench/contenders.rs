//! The two servers of a bare-against-runner benchmark (`bench http`, `bench
//! ws`): (a) a bare server of `benches/`, the baseline, and (b) the runner
//! serving a Lua script; which run, in which order, and starting one.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use anyhow::Context as _;

use super::cpu::{CpuMeter, CpuUsage};
use super::harness::{Setup, build};
use super::loadgen::run_load;
use super::options::{LoadOptions, Only};
use super::procfs;
use super::server::{Pinning, Server, free_port};

/// How long a server may take to listen.
const STARTUP_LIMIT: Duration = Duration::from_secs(15);

/// What one server did under one load.
pub(crate) struct Loaded {
    /// The load generator's output, its report in the last JSON line.
    pub output: Output,
    /// The server's CPU and the machine's over the load.
    pub usage: CpuUsage,
    /// The server's peak resident memory (`VmHWM`), MiB, if known.
    pub rss_mib: Option<f64>,
}

/// One of the two servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Contender {
    /// (a) The bare server, by binary name, taking the port.
    Bare(&'static str),
    /// (b) `craftos-http SCRIPT PORT`.
    Runner(&'static str),
}

impl Contender {
    /// The binary's name, which names the server in tables and logs.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Contender::Bare(name) => name,
            Contender::Runner(_) => "craftos-http",
        }
    }

    /// The command serving on `port`, pinned to the server's core.
    pub(crate) fn command(self, pinning: Pinning, release: &Path, port: u16) -> Command {
        let mut command = pinning.server(&release.join(self.name()));
        if let Contender::Runner(script) = self {
            command.arg(script);
        }
        command.arg(port.to_string());
        command
    }

    /// Starts the server on a free port, logging to `log` in the log
    /// directory, and waits until it listens; the server is killed when
    /// the returned value is dropped.
    pub(crate) fn start<O>(self, setup: &Setup<'_, O>, log: &str) -> anyhow::Result<(Server, u16)> {
        let port = free_port()?;
        let mut server = Server::start(
            self.name(),
            self.command(setup.pinning, &setup.release, port),
            setup.logs.join(log),
        )?;
        server.wait_for_port(port, STARTUP_LIMIT)?;
        Ok((server, port))
    }

    /// Starts the server (see [`Contender::start`]), runs the load
    /// generator `program` on its port with `load` and `extra` arguments
    /// (see [`run_load`]), reads the server's CPU and peak memory, and
    /// kills it, whatever happened.
    pub(crate) fn load<O>(
        self,
        setup: &Setup<'_, O>,
        load: &LoadOptions,
        log: &str,
        program: &str,
        extra: &[String],
    ) -> anyhow::Result<Loaded> {
        let (mut server, port) = self.start(setup, log)?;
        let pid = server.pid();
        let meter = CpuMeter::start(pid, setup.ticks_per_second)?;
        let target = [port.to_string()];
        let output = run_load(setup, program, &target, load.connections, load, extra)?;
        server
            .ensure_running()
            .with_context(|| format!("{} died under load", self.name()))?;
        let usage = meter.stop()?;
        let rss_mib = procfs::peak_rss_kib(pid).map(|kib| kib as f64 / 1024.0);
        Ok(Loaded {
            output,
            usage,
            rss_mib,
        })
    }
}

/// The servers `only` asks for: the bare server `bare` and the runner
/// serving `script`, in that order.
pub(crate) fn select(only: Only, bare: &'static str, script: &'static str) -> Vec<Contender> {
    let (a, b) = (Contender::Bare(bare), Contender::Runner(script));
    match only {
        Only::Both => vec![a, b],
        Only::Bare => vec![a],
        Only::Runner => vec![b],
    }
}

/// Builds the bare server `bare`, the load generator `loadgen` and, if
/// `contenders` has it, the runner in release mode; `hint` (what `--only
/// bare` does) follows a failed build with the runner.
pub(crate) fn build_all(
    contenders: &[Contender],
    bare: &str,
    loadgen: &str,
    hint: &str,
) -> anyhow::Result<()> {
    let with_runner = contenders.iter().any(|c| matches!(c, Contender::Runner(_)));
    build(&[bare, loadgen], with_runner.then_some(hint))
}

/// The order of `contenders` in run `run`: even runs reversed, so that
/// neither always goes first.
pub(crate) fn in_order(contenders: &[Contender], run: u32) -> Vec<Contender> {
    let mut order = contenders.to_vec();
    if run.is_multiple_of(2) {
        order.reverse();
    }
    order
}

/// Sorts `measurements` by run, then in the order of `contenders`;
/// `key` gives a measurement's run and server.
pub(crate) fn sort_by_run<M>(
    measurements: &mut [M],
    contenders: &[Contender],
    key: impl Fn(&M) -> (u32, &str),
) {
    measurements.sort_by_key(|m| {
        let (run, server) = key(m);
        (run, contenders.iter().position(|c| c.name() == server))
    });
}

/// The servers' names, in order.
pub(crate) fn names(contenders: &[Contender]) -> Vec<&'static str> {
    contenders.iter().map(|c| c.name()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runner_command_passes_script_then_port() {
        let command =
            Contender::Runner("x.lua").command(Pinning::detect(), Path::new("t/release"), 8080);
        let args: Vec<String> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(
            args.ends_with(&["x.lua".to_owned(), "8080".to_owned()]),
            "{args:?}"
        );
    }

    #[test]
    fn runs_alternate_the_order() {
        let both = select(Only::Both, "bare", "x.lua");
        assert_eq!(names(&both), ["bare", "craftos-http"]);
        assert_eq!(in_order(&both, 1), both);
        assert_eq!(in_order(&both, 2), [both[1], both[0]]);
        assert_eq!(
            names(&select(Only::Runner, "bare", "x.lua")),
            ["craftos-http"]
        );
    }
}
