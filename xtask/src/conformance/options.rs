//! Command-line options of `cargo xtask conformance`.

use std::path::PathBuf;

use super::capability::Capabilities;
use super::lua::LuaVersion;

/// Usage text, printed for `--help`.
pub(crate) const USAGE: &str = "\
cargo xtask conformance [options]

options:
  --runner CMD    runner command line, split on whitespace (default: build
                  ours in release mode and use target/release/craftos-http);
                  it is run as CMD [runner_args] SCRIPT PORT [args]
  --capabilities LIST
                  what the runner can do beyond `CMD SCRIPT PORT` (comma-
                  separated; @FILE reads names from FILE): script-port (the
                  base alone), args, stdin, signals, stderr, exit-status,
                  script-dir, fix, ext, a runner option --NAME, or all (the
                  default: craftos-http's runner). Cases needing more are
                  skipped and counted by reason
  --lua V         the runner's Lua (5.1, 5.2, 5.3, 5.4, luajit) for cases
                  with a `lua` field (default: ask it with a probe script)
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
    /// `--capabilities`: what the runner can do (default: everything).
    pub(crate) capabilities: Capabilities,
    /// `--lua`: the runner's Lua; `None`: probe it when a case asks.
    pub(crate) lua: Option<LuaVersion>,
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
            capabilities: Capabilities::default(),
            lua: None,
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
            "--capabilities" => options.capabilities = Capabilities::parse(&value()?)?,
            "--lua" => {
                options.lua = Some(LuaVersion::parse(&value()?).map_err(anyhow::Error::msg)?)
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
        assert!(options.capabilities.is_all());
        assert_eq!(options.lua, None);
        let options = parse_strs(&["--capabilities", "script-port,stdin", "--lua=luajit"]).unwrap();
        assert_eq!(options.capabilities.describe(), "script-port,stdin");
        assert_eq!(options.lua, Some(LuaVersion::LuaJit));
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
            &["--capabilities", "bogus"],
            &["--capabilities"],
            &["--lua", "5.0"],
        ] {
            assert!(parse_strs(args).is_err(), "{args:?}");
        }
    }
}
