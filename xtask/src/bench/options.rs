//! The command line of `cargo xtask bench http`, and what every benchmark's
//! command line shares: `--flag VALUE` parsing and the load's `--duration`,
//! `--warmup`, `--connections` and `--runs`.

use anyhow::{Context as _, bail, ensure};

/// Which servers to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Only {
    /// All: bare hyper (a), nginx + ngx_lua when installed, then the
    /// runner (b), and the runner's ratios to each of the others.
    All,
    /// Bare hyper only.
    Bare,
    /// nginx + ngx_lua only.
    Nginx,
    /// The runner only.
    Runner,
}

/// The load every benchmark applies: how long, how hard, how often.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LoadOptions {
    /// Measured seconds per server and run.
    pub duration: f64,
    /// Seconds of load before measuring.
    pub warmup: f64,
    /// Keep-alive connections.
    pub connections: u32,
    /// Runs; medians are reported.
    pub runs: u32,
}

impl LoadOptions {
    /// Takes `--duration`, `--warmup`, `--connections` (at most
    /// `max_connections`) and `--runs`; `Ok(false)` for any other flag,
    /// whose value is then left alone.
    pub(crate) fn set(
        &mut self,
        flag: &str,
        value: &mut dyn FnMut() -> anyhow::Result<String>,
        max_connections: u32,
    ) -> anyhow::Result<bool> {
        match flag {
            "--duration" => self.duration = seconds(flag, &value()?, 0.1)?,
            "--warmup" => self.warmup = seconds(flag, &value()?, 0.0)?,
            "--connections" => self.connections = count(flag, &value()?, max_connections)?,
            "--runs" => self.runs = count(flag, &value()?, 100)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// Options of `cargo xtask bench http`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HttpOptions {
    /// Duration, warm-up, connections and runs.
    pub load: LoadOptions,
    /// Which servers.
    pub only: Only,
    /// The open-loop load's rate, as a fraction of the bare server's
    /// saturation rate in the same run (0: no open-loop load).
    pub open_loop: f64,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            load: LoadOptions {
                duration: 5.0,
                warmup: 1.0,
                connections: 50,
                runs: 3,
            },
            only: Only::All,
            open_loop: 0.5,
        }
    }
}

impl HttpOptions {
    /// Parses `--flag VALUE` pairs (also `--flag=VALUE`).
    pub(crate) fn parse(args: &[String]) -> anyhow::Result<Self> {
        let mut options = Self::default();
        for_each_flag(args, |flag, value| {
            if options.load.set(flag, value, 1000)? {
                return Ok(());
            }
            match flag {
                "--only" => {
                    options.only = match value()?.as_str() {
                        "bare" => Only::Bare,
                        "nginx" => Only::Nginx,
                        "runner" => Only::Runner,
                        other => bail!("--only takes `bare`, `nginx` or `runner`, not `{other}`"),
                    }
                }
                "--open-loop" => {
                    let text = value()?;
                    let fraction: f64 = text
                        .parse()
                        .with_context(|| format!("--open-loop: `{text}` is not a number"))?;
                    ensure!(
                        (0.0..=1.0).contains(&fraction),
                        "--open-loop takes a fraction between 0 and 1, not {text}"
                    );
                    options.open_loop = fraction;
                }
                other => bail!("unknown option `{other}`"),
            }
            Ok(())
        })?;
        Ok(options)
    }
}

/// Calls `handle` with each flag of `--flag VALUE` pairs (also
/// `--flag=VALUE`) and a function that takes the flag's value (`--flag
/// needs a value` when there is none); the first error stops the parse.
pub(crate) fn for_each_flag(
    args: &[String],
    mut handle: impl FnMut(&str, &mut dyn FnMut() -> anyhow::Result<String>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        let mut value = || -> anyhow::Result<String> {
            match &inline {
                Some(value) => Ok(value.clone()),
                None => args
                    .next()
                    .cloned()
                    .with_context(|| format!("{flag} needs a value")),
            }
        };
        handle(flag, &mut value)?;
    }
    Ok(())
}

/// A number of seconds between `min` and one hour.
pub(crate) fn seconds(flag: &str, text: &str, min: f64) -> anyhow::Result<f64> {
    let value: f64 = text
        .parse()
        .with_context(|| format!("{flag}: `{text}` is not a number"))?;
    ensure!(
        value.is_finite() && (min..=3600.0).contains(&value),
        "{flag} must be between {min} and 3600 seconds"
    );
    Ok(value)
}

/// A count between 1 and `max`.
pub(crate) fn count(flag: &str, text: &str, max: u32) -> anyhow::Result<u32> {
    let value: u32 = text
        .parse()
        .with_context(|| format!("{flag}: `{text}` is not a whole number"))?;
    ensure!(
        (1..=max).contains(&value),
        "{flag} must be between 1 and {max}"
    );
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<HttpOptions> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        HttpOptions::parse(&args)
    }

    #[test]
    fn defaults() {
        assert_eq!(parse(&[]).unwrap(), HttpOptions::default());
    }

    #[test]
    fn all_flags() {
        let o = parse(&[
            "--duration",
            "2.5",
            "--warmup=0",
            "--connections",
            "10",
            "--runs",
            "1",
            "--only",
            "bare",
        ])
        .unwrap();
        assert_eq!(
            o,
            HttpOptions {
                load: LoadOptions {
                    duration: 2.5,
                    warmup: 0.0,
                    connections: 10,
                    runs: 1,
                },
                only: Only::Bare,
                open_loop: 0.5,
            }
        );
        assert_eq!(parse(&["--open-loop", "0"]).unwrap().open_loop, 0.0);
        assert!(parse(&["--open-loop", "2"]).is_err());
        assert!(parse(&["--open-loop", "x"]).is_err());
        assert_eq!(parse(&["--only=runner"]).unwrap().only, Only::Runner);
        assert_eq!(parse(&["--only=nginx"]).unwrap().only, Only::Nginx);
    }

    #[test]
    fn bad_input() {
        assert!(parse(&["--duration"]).is_err());
        assert!(parse(&["--duration", "0"]).is_err());
        assert!(parse(&["--duration", "NaN"]).is_err());
        assert!(parse(&["--connections", "0"]).is_err());
        assert!(parse(&["--connections", "1001"]).is_err());
        assert!(parse(&["--only", "lune"]).is_err());
        assert!(parse(&["--frobnicate"]).is_err());
    }
}
