//! Command-line options of `cargo xtask conformance`.

use std::path::PathBuf;

/// Usage text, printed for `--help`.
pub(crate) const USAGE: &str = "\
cargo xtask conformance [options]

options:
  --runner CMD    runner command line, split on whitespace (default: build
                  ours in release mode and use target/release/craftos-http)
  --filter TEXT   only run cases whose path contains TEXT (or any of
                  TEXT,TEXT,... )
  --jobs N        cases run at once (default 4)
  --transport T   tcp (default): clients connect over TCP; memory: the
                  runner serves over the in-memory transport
                  (--memory-socket) and the harness's gateway carries the
                  same bytes to it; cases marked transports = [\"tcp\"] are
                  skipped
  --verbose, -v   print the runner's stdout and stderr for failing cases
";

/// Default for `--jobs`.
const DEFAULT_JOBS: usize = 4;
/// Default for the hidden `--dir`.
const DEFAULT_DIR: &str = "tests/conformance";

/// Parsed options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Options {
    /// `--runner`, split on whitespace; `None` means build ours.
    pub(crate) runner: Option<Vec<String>>,
    /// `--filter`: substring of the case path.
    pub(crate) filter: Option<String>,
    /// `--jobs`: cases run at once.
    pub(crate) jobs: usize,
    /// `--verbose`: show the output of failing cases.
    pub(crate) verbose: bool,
    /// Hidden `--dir`: where the cases are (to test the harness itself).
    pub(crate) dir: PathBuf,
    /// `--help`: print usage and stop.
    pub(crate) help: bool,
    /// `--transport`: `tcp` or `memory`.
    pub(crate) transport: Transport,
}

/// How the cases' clients reach the runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Transport {
    /// TCP on 127.0.0.1.
    #[default]
    Tcp,
    /// The runner's in-memory transport, through the harness's gateway.
    Memory,
}

impl Transport {
    /// The name cases use in `transports`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Memory => "memory",
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            runner: None,
            filter: None,
            jobs: DEFAULT_JOBS,
            verbose: false,
            dir: PathBuf::from(DEFAULT_DIR),
            help: false,
            transport: Transport::Tcp,
        }
    }
}

/// Parses the arguments after `conformance`. Values may follow their option
/// as the next argument or after `=`.
pub(crate) fn parse(args: &[String]) -> anyhow::Result<Options> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or_else(|| anyhow::anyhow!("`{name}` needs a value\n\n{USAGE}"))
        };
        match name {
            "--runner" => {
                let words: Vec<String> = value()?.split_whitespace().map(str::to_owned).collect();
                anyhow::ensure!(!words.is_empty(), "`--runner` is empty");
                options.runner = Some(words);
            }
            "--filter" => options.filter = Some(value()?),
            "--jobs" | "-j" => {
                let text = value()?;
                options.jobs = text.parse().ok().filter(|&jobs| jobs > 0).ok_or_else(|| {
                    anyhow::anyhow!("`--jobs` must be a positive integer, not {text:?}")
                })?;
            }
            "--dir" => options.dir = PathBuf::from(value()?),
            "--transport" => {
                options.transport = match value()?.as_str() {
                    "tcp" => Transport::Tcp,
                    "memory" => Transport::Memory,
                    other => anyhow::bail!("`--transport` is tcp or memory, not {other:?}"),
                }
            }
            "--verbose" | "-v" if inline.is_none() => options.verbose = true,
            "--help" | "-h" if inline.is_none() => options.help = true,
            _ => anyhow::bail!("unknown argument `{arg}`\n\n{USAGE}"),
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> anyhow::Result<Options> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn defaults() {
        assert_eq!(parse_strs(&[]).unwrap(), Options::default());
        assert_eq!(Options::default().jobs, 4);
    }

    #[test]
    fn all_options() {
        let options = parse_strs(&[
            "--runner",
            "python3  /tmp/r.py",
            "--filter=http",
            "--jobs",
            "2",
            "-v",
            "--dir",
            "/tmp/cases",
        ])
        .unwrap();
        assert_eq!(
            options.runner,
            Some(vec!["python3".to_owned(), "/tmp/r.py".to_owned()])
        );
        assert_eq!(options.filter.as_deref(), Some("http"));
        assert_eq!(options.jobs, 2);
        assert!(options.verbose);
        assert_eq!(options.dir, PathBuf::from("/tmp/cases"));
    }

    #[test]
    fn rejects_bad_arguments() {
        for args in [
            &["--jobs", "0"][..],
            &["--jobs", "x"],
            &["--jobs"],
            &["--runner", " "],
            &["--bogus"],
            &["--verbose=yes"],
        ] {
            assert!(parse_strs(args).is_err(), "{args:?}");
        }
    }
}
