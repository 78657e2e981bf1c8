//! The servers of a bare-against-runner benchmark (`bench http`, `bench
//! ws`): (a) a bare server of `benches/`, the baseline, nginx + ngx_lua
//! when it is installed, and (b) the runner serving a Lua script; which
//! run, in which order, and starting one.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use anyhow::Context as _;

use super::cpu::{CpuMeter, CpuUsage};
use super::harness::{Setup, build};
use super::loadgen::run_load;
use super::nginx;
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

/// One of the servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Contender {
    /// (a) The bare server, by binary name, taking the port.
    Bare(&'static str),
    /// nginx + ngx_lua serving the same thing in Lua (see [`nginx`]).
    Nginx(nginx::Site),
    /// (b) `craftos-http SCRIPT PORT`.
    Runner(&'static str),
}

impl Contender {
    /// The binary's name, which names the server in tables and logs.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Contender::Bare(name) => name,
            Contender::Nginx(_) => nginx::NAME,
            Contender::Runner(_) => "craftos-http",
        }
    }

    /// The command serving on `port`, pinned to the server's core; nginx's
    /// prefix directory goes under `logs`.
    fn command_in(
        self,
        pinning: Pinning,
        release: &Path,
        logs: &Path,
        port: u16,
    ) -> anyhow::Result<Command> {
        match self {
            Contender::Nginx(site) => nginx::installed()
                .map_err(|why| anyhow::anyhow!("nginx + ngx_lua: {why}"))?
                .command(pinning, logs, site, port),
            _ => Ok(self.command(pinning, release, port)),
        }
    }

    /// The command of a bare server or the runner serving on `port`,
    /// pinned to the server's core.
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
        let command = self.command_in(setup.pinning, &setup.release, &setup.logs, port)?;
        let mut server = Server::start(self.name(), command, setup.logs.join(log))?;
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

/// The servers `only` asks for: the bare server `bare`, nginx serving
/// `site` (when installed: without it, all but nginx, said on stderr) and
/// the runner serving `script`, in that order. Fails for `--only nginx`
/// without nginx.
pub(crate) fn select(
    only: Only,
    bare: &'static str,
    site: nginx::Site,
    script: &'static str,
) -> anyhow::Result<Vec<Contender>> {
    select_with(only, bare, site, script, nginx::installed().map(|_| ()))
}

fn select_with(
    only: Only,
    bare: &'static str,
    site: nginx::Site,
    script: &'static str,
    nginx: Result<(), &str>,
) -> anyhow::Result<Vec<Contender>> {
    let (a, n, b) = (
        Contender::Bare(bare),
        Contender::Nginx(site),
        Contender::Runner(script),
    );
    Ok(match (only, nginx) {
        (Only::All, Ok(())) => vec![a, n, b],
        (Only::All, Err(why)) => {
            eprintln!(
                "bench: no nginx + ngx_lua row ({why}; `{}` installs it)",
                nginx::INSTALL_HINT
            );
            vec![a, b]
        }
        (Only::Bare, _) => vec![a],
        (Only::Nginx, Ok(())) => vec![n],
        (Only::Nginx, Err(why)) => anyhow::bail!(
            "--only nginx: nginx + ngx_lua is not there ({why}; `{}` installs it)",
            nginx::INSTALL_HINT
        ),
        (Only::Runner, _) => vec![b],
    })
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

    fn pick(only: Only, nginx: Result<(), &str>) -> anyhow::Result<Vec<Contender>> {
        select_with(only, "bare", nginx::Site::Hello, "x.lua", nginx)
    }

    #[test]
    fn runs_alternate_the_order() {
        let all = pick(Only::All, Ok(())).unwrap();
        assert_eq!(names(&all), ["bare", "nginx-lua", "craftos-http"]);
        assert_eq!(in_order(&all, 1), all);
        assert_eq!(in_order(&all, 2), [all[2], all[1], all[0]]);
        assert_eq!(
            names(&pick(Only::Runner, Ok(())).unwrap()),
            ["craftos-http"]
        );
    }

    #[test]
    fn nginx_is_left_out_when_missing() {
        let all = pick(Only::All, Err("no nginx binary")).unwrap();
        assert_eq!(names(&all), ["bare", "craftos-http"]);
        assert_eq!(names(&pick(Only::Nginx, Ok(())).unwrap()), ["nginx-lua"]);
        let err = pick(Only::Nginx, Err("no nginx binary")).unwrap_err();
        assert!(err.to_string().contains("no nginx binary"), "{err}");
    }
}
