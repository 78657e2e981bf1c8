//! The command line of `cargo xtask bench ws`: the options of `bench http`
//! (`--duration`, `--warmup`, `--connections`, `--runs`, `--only`) and
//! `--idle N`.

use anyhow::{Context as _, ensure};

use crate::bench::options::{HttpOptions, LoadOptions, Only};

/// The most idle connections the memory measurement may open.
const MAX_IDLE: u32 = 10_000;

/// Options of `cargo xtask bench ws`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WsOptions {
    /// What `bench http` takes too: the echo load's duration, warm-up and
    /// connections, and the runs.
    pub load: LoadOptions,
    /// Which servers, as for `bench http`.
    pub only: Only,
    /// Idle connections of the memory measurement (0: no memory
    /// measurement).
    pub idle: u32,
}

impl WsOptions {
    /// Parses `--idle N` (also `--idle=N`) and hands the rest to
    /// [`HttpOptions::parse`].
    pub(crate) fn parse(args: &[String]) -> anyhow::Result<Self> {
        let mut idle = 1000;
        let mut rest = Vec::new();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let text = if arg == "--idle" {
                args.next().context("--idle needs a value")?
            } else if let Some(value) = arg.strip_prefix("--idle=") {
                value
            } else {
                rest.push(arg.clone());
                continue;
            };
            idle = text
                .parse()
                .with_context(|| format!("--idle: `{text}` is not a whole number"))?;
            ensure!(idle <= MAX_IDLE, "--idle must be between 0 and {MAX_IDLE}");
        }
        ensure!(
            !rest.iter().any(|a| a.starts_with("--open-loop")),
            "--open-loop is an option of bench http only"
        );
        let HttpOptions { load, only, .. } = HttpOptions::parse(&rest)?;
        Ok(Self { load, only, idle })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<WsOptions> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        WsOptions::parse(&args)
    }

    #[test]
    fn defaults() {
        let o = parse(&[]).unwrap();
        assert_eq!(o.load, HttpOptions::default().load);
        assert_eq!(o.only, Only::All);
        assert_eq!(o.idle, 1000);
    }

    #[test]
    fn idle_among_the_http_options() {
        let o = parse(&[
            "--duration",
            "3",
            "--idle",
            "10",
            "--runs=1",
            "--only",
            "runner",
        ])
        .unwrap();
        assert_eq!((o.idle, o.load.duration, o.load.runs), (10, 3.0, 1));
        assert_eq!(o.only, Only::Runner);
        assert_eq!(parse(&["--idle=0"]).unwrap().idle, 0);
    }

    #[test]
    fn bad_input() {
        assert!(parse(&["--idle"]).is_err());
        assert!(parse(&["--idle", "-1"]).is_err());
        assert!(parse(&["--idle", "10001"]).is_err());
        assert!(parse(&["--idle", "5", "--frobnicate"]).is_err());
    }
}
