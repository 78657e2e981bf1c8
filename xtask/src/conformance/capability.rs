//! What a runner can do beyond `RUNNER SCRIPT PORT`, and what a case needs
//! of it. `--capabilities` names the runner's; each case's needs follow
//! from its header (its `runner_args`, `args`, `stdin`, `process`,
//! `stderr`, `exit`, `files`, `fix`, `ext` and `needs` fields). A case
//! whose needs the runner lacks is skipped, with the missing ones as the
//! reason.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use anyhow::Context as _;

/// One thing a runner may do beyond `RUNNER SCRIPT PORT` with the
/// script's `print` output on stdout.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Capability {
    /// The runner option of this name (`--response-timeout`), put before
    /// the script as craftos-http's runner takes it.
    Option(String),
    /// Script arguments after the port reach the script's `...`.
    Args,
    /// The runner's stdin reaches the script (`read()`).
    Stdin,
    /// Signals to the runner: SIGINT queues `terminate`, and the others
    /// end it.
    Signals,
    /// The script's errors and `printError` go to the runner's stderr.
    Stderr,
    /// The runner's exit status says how the script ended: 1 when it
    /// raised, 130 when `terminate` ended it.
    ExitStatus,
    /// The computer's fs root is the script's own directory, so files put
    /// beside the script are visible to it and what it writes lands there.
    ScriptDir,
    /// The behaviour of craftos-http's `[fix]` clauses (where it departs
    /// from CraftOS-PC on purpose).
    Fix,
    /// craftos-http's `[ext]` clauses (what it adds to CraftOS-PC).
    Ext,
}

/// The named capabilities (all but the runner options), with what each
/// means, for `--help` and error messages.
pub(crate) const NAMED: [(&str, Capability, &str); 8] = [
    (
        "args",
        Capability::Args,
        "script arguments after PORT reach the script",
    ),
    (
        "stdin",
        Capability::Stdin,
        "the runner's stdin reaches read()",
    ),
    (
        "signals",
        Capability::Signals,
        "SIGINT queues terminate; other signals end the runner",
    ),
    (
        "stderr",
        Capability::Stderr,
        "script errors and printError go to the runner's stderr",
    ),
    (
        "exit-status",
        Capability::ExitStatus,
        "exit status 1 when the script raises, 130 when terminated",
    ),
    (
        "script-dir",
        Capability::ScriptDir,
        "the computer's fs root is SCRIPT's directory",
    ),
    (
        "fix",
        Capability::Fix,
        "craftos-http's [fix] clauses (departures from CraftOS-PC)",
    ),
    (
        "ext",
        Capability::Ext,
        "craftos-http's [ext] clauses (additions to CraftOS-PC)",
    ),
];

/// The name of the base capability every runner has.
pub(crate) const BASE: &str = "script-port";
/// The name of the full set (craftos-http's own runner).
pub(crate) const ALL: &str = "all";

impl Capability {
    /// Parses one capability name: a named one or a runner option
    /// (`--NAME`). `all` and `script-port` are not capabilities.
    pub(crate) fn parse(name: &str) -> Result<Self, String> {
        if let Some(option) = name.strip_prefix("--") {
            if option.is_empty() || option.contains(|c: char| c == '=' || c.is_whitespace()) {
                return Err(format!("{name:?} is not a runner option name"));
            }
            return Ok(Self::Option(name.to_owned()));
        }
        NAMED
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, capability, _)| capability.clone())
            .ok_or_else(|| {
                let names: Vec<&str> = NAMED.iter().map(|(n, _, _)| *n).collect();
                format!(
                    "unknown capability {name:?} (one of {}, or a runner option --NAME)",
                    names.join(", ")
                )
            })
    }

    /// The name `parse` takes.
    pub(crate) fn name(&self) -> &str {
        match self {
            Self::Option(option) => option,
            other => NAMED
                .iter()
                .find(|(_, capability, _)| capability == other)
                .map(|(name, _, _)| *name)
                .expect("every named capability is in NAMED"),
        }
    }
}

impl fmt::Display for Capability {
    /// How a skip reason names it: `runner option --root`, `stdin`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Option(option) => write!(f, "runner option {option}"),
            other => f.write_str(other.name()),
        }
    }
}

/// The capabilities of the runner under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Capabilities {
    /// Everything (craftos-http's runner): every named capability and every
    /// runner option a case may use.
    all: bool,
    /// Otherwise, what the runner has beyond `script-port`.
    set: BTreeSet<Capability>,
}

impl Default for Capabilities {
    /// craftos-http's runner: everything.
    fn default() -> Self {
        Self {
            all: true,
            set: BTreeSet::new(),
        }
    }
}

impl Capabilities {
    /// Parses a `--capabilities` value: names apart by commas (spaces
    /// allowed), `all` for everything, `script-port` for the base alone
    /// (it is always there), `@FILE` for the names in FILE (apart by
    /// commas or lines, `#` starting a comment).
    pub(crate) fn parse(list: &str) -> anyhow::Result<Self> {
        let mut capabilities = Self {
            all: false,
            set: BTreeSet::new(),
        };
        capabilities.add_list(list, 0)?;
        Ok(capabilities)
    }

    /// Adds the names of `list`; `depth` bounds `@FILE` nesting.
    fn add_list(&mut self, list: &str, depth: usize) -> anyhow::Result<()> {
        let names: Vec<&str> = list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .collect();
        anyhow::ensure!(
            !names.is_empty() || depth > 0,
            "`--capabilities` is empty (use {BASE} for a runner that only takes SCRIPT PORT)"
        );
        for name in names {
            if let Some(file) = name.strip_prefix('@') {
                anyhow::ensure!(depth < 4, "capability files nested too deep at {file}");
                let text = std::fs::read_to_string(Path::new(file))
                    .with_context(|| format!("cannot read the capabilities file {file}"))?;
                let list: Vec<&str> = text
                    .lines()
                    .map(|line| line.split('#').next().unwrap_or_default())
                    .collect();
                self.add_list(&list.join(","), depth + 1)
                    .with_context(|| format!("in the capabilities file {file}"))?;
            } else if name == ALL {
                self.all = true;
            } else if name != BASE {
                let capability = Capability::parse(name).map_err(anyhow::Error::msg)?;
                self.set.insert(capability);
            }
        }
        Ok(())
    }

    /// Whether the runner has `capability`.
    pub(crate) fn has(&self, capability: &Capability) -> bool {
        self.all || self.set.contains(capability)
    }

    /// Which of `needs` the runner lacks, in order.
    pub(crate) fn missing<'a>(
        &self,
        needs: impl IntoIterator<Item = &'a Capability>,
    ) -> Vec<Capability> {
        needs
            .into_iter()
            .filter(|need| !self.has(need))
            .cloned()
            .collect()
    }

    /// Whether this is the full set.
    pub(crate) fn is_all(&self) -> bool {
        self.all
    }

    /// The list `parse` reads back, for messages.
    pub(crate) fn describe(&self) -> String {
        if self.all {
            return ALL.to_owned();
        }
        std::iter::once(BASE)
            .chain(self.set.iter().map(Capability::name))
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (name, capability, _) in NAMED {
            assert_eq!(Capability::parse(name).unwrap(), capability);
            assert_eq!(capability.name(), name);
        }
        let option = Capability::parse("--root").unwrap();
        assert_eq!(option, Capability::Option("--root".to_owned()));
        assert_eq!(option.to_string(), "runner option --root");
        for bad in ["--", "--a=1", "root", "all", "script-port", "Stdin"] {
            assert!(Capability::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lists() {
        let base = Capabilities::parse("script-port").unwrap();
        assert!(!base.is_all());
        assert!(!base.has(&Capability::Stdin));
        assert_eq!(base.describe(), "script-port");
        let some = Capabilities::parse(" stdin, --root ,fix").unwrap();
        assert!(some.has(&Capability::Stdin) && some.has(&Capability::Fix));
        assert!(some.has(&Capability::Option("--root".to_owned())));
        assert!(!some.has(&Capability::Option("--bind".to_owned())));
        assert_eq!(
            some.missing(&[
                Capability::Option("--bind".to_owned()),
                Capability::Stdin,
                Capability::Ext
            ]),
            [Capability::Option("--bind".to_owned()), Capability::Ext]
        );
        assert_eq!(some.describe(), "script-port,--root,stdin,fix");
        assert_eq!(Capabilities::parse(&some.describe()).unwrap(), some);
        let all = Capabilities::parse("all").unwrap();
        assert!(all.is_all() && all.has(&Capability::Option("--anything".to_owned())));
        assert_eq!(all, Capabilities::default());
        for bad in ["", " , ", "stdin,bogus", "--"] {
            assert!(Capabilities::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn capabilities_file() {
        let path =
            std::env::temp_dir().join(format!("xtask-capabilities-{}.txt", std::process::id()));
        std::fs::write(
            &path,
            "# my emulator\nscript-port\nstdin  # read() works\n--id,\n\n",
        )
        .unwrap();
        let parsed = Capabilities::parse(&format!("@{},ext", path.display()));
        std::fs::remove_file(&path).unwrap();
        let parsed = parsed.unwrap();
        assert_eq!(parsed.describe(), "script-port,--id,stdin,ext");
        let missing = Capabilities::parse("@/nonexistent/caps.txt").unwrap_err();
        assert!(
            format!("{missing:#}").contains("/nonexistent/caps.txt"),
            "{missing:#}"
        );
    }
}
