//! Command-line options of `cargo xtask autobahn`.

use std::time::Duration;

/// Usage text, printed for `--help`.
pub(crate) const USAGE: &str = "\
cargo xtask autobahn [options]

Installs Autobahn|Testsuite 0.8.2 (Python 2.7) into target/autobahn/ if it is
not there yet, starts the runner on examples/ws-echo.lua and runs
`wstest -m fuzzingclient` against it. Fails on any case whose behaviour is
not OK, NON-STRICT or INFORMATIONAL. Reports: target/autobahn/reports/.

options:
  --cases LIST    comma-separated case patterns (default
                  1.*,2.*,3.*,4.*,5.*,6.*,7.*,9.*,10.*; there is no group 8,
                  and naming one makes wstest hang)
  --runner CMD    runner command line, split on whitespace (default: build
                  ours in release mode); it gets
                  `--ws-max-message 16777216 SCRIPT PORT` appended
  --script FILE   the echo server script, given its port as first argument
                  (default examples/ws-echo.lua)
  --timeout SECS  kill wstest after this long (default 600)
";

/// The cases run by default: everything but compression (12, 13).
const DEFAULT_CASES: &[&str] = &[
    "1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*",
];
/// Default for `--script`.
const DEFAULT_SCRIPT: &str = "examples/ws-echo.lua";
/// Default for `--timeout`.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// Parsed options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Options {
    /// `--cases`: case patterns as wstest takes them.
    pub(crate) cases: Vec<String>,
    /// `--runner`, split on whitespace; `None` means build ours.
    pub(crate) runner: Option<Vec<String>>,
    /// `--script`: the echo server script.
    pub(crate) script: String,
    /// `--timeout`: bound on the wstest run.
    pub(crate) timeout: Duration,
    /// `--help`: print usage and stop.
    pub(crate) help: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            cases: DEFAULT_CASES.iter().map(|&case| case.to_owned()).collect(),
            runner: None,
            script: DEFAULT_SCRIPT.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            help: false,
        }
    }
}

/// Parses the arguments after `autobahn`. Values may follow their option
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
            "--cases" => options.cases = parse_cases(&value()?)?,
            "--runner" => {
                let words: Vec<String> = value()?.split_whitespace().map(str::to_owned).collect();
                anyhow::ensure!(!words.is_empty(), "`--runner` is empty");
                options.runner = Some(words);
            }
            "--script" => options.script = value()?,
            "--timeout" => options.timeout = parse_timeout(&value()?)?,
            "--help" | "-h" if inline.is_none() => options.help = true,
            _ => anyhow::bail!("unknown argument `{arg}`\n\n{USAGE}"),
        }
    }
    Ok(options)
}

/// Splits `1.*,2.1.1` into patterns, refusing group 8 (wstest hangs on it).
fn parse_cases(text: &str) -> anyhow::Result<Vec<String>> {
    let cases: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|case| !case.is_empty())
        .map(str::to_owned)
        .collect();
    anyhow::ensure!(!cases.is_empty(), "`--cases` is empty");
    if let Some(case) = cases
        .iter()
        .find(|case| case.split('.').next() == Some("8"))
    {
        anyhow::bail!("`--cases`: there is no group 8 (`{case}` makes wstest hang)");
    }
    Ok(cases)
}

/// Parses a positive number of seconds.
fn parse_timeout(text: &str) -> anyhow::Result<Duration> {
    text.parse()
        .ok()
        .filter(|&secs| secs > 0)
        .map(Duration::from_secs)
        .ok_or_else(|| anyhow::anyhow!("`--timeout` must be a positive integer, not {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> anyhow::Result<Options> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn defaults() {
        let options = parse_strs(&[]).unwrap();
        assert_eq!(options, Options::default());
        assert_eq!(options.cases.len(), 9);
        assert!(!options.cases.iter().any(|case| case.starts_with("8")));
    }

    #[test]
    fn all_options() {
        let options = parse_strs(&[
            "--cases",
            "1.*, 6.4.3",
            "--runner=./r  -x",
            "--timeout",
            "30",
            "--script",
            "echo.lua",
        ])
        .unwrap();
        assert_eq!(options.cases, ["1.*", "6.4.3"]);
        assert_eq!(
            options.runner,
            Some(vec!["./r".to_owned(), "-x".to_owned()])
        );
        assert_eq!(options.timeout, Duration::from_secs(30));
        assert_eq!(options.script, "echo.lua");
    }

    #[test]
    fn rejects_bad_arguments() {
        for args in [
            &["--cases", ","][..],
            &["--cases", "8.*"],
            &["--cases"],
            &["--runner", " "],
            &["--timeout", "0"],
            &["--bogus"],
            &["--help=yes"],
        ] {
            assert!(parse_strs(args).is_err(), "{args:?}");
        }
    }
}
