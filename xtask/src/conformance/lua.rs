//! The Lua version a case is written for (`lua = "5.3+"`) and the one the
//! runner has (`--lua`, or asked of the runner with a probe script).

use std::ffi::OsString;
use std::fmt;
use std::time::Duration;

use tokio::time::timeout;

use super::process::{Process, Runner, free_port};

/// A Lua the runner may embed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LuaVersion {
    /// PUC Lua 5.1.
    Lua51,
    /// PUC Lua 5.2 (CraftOS-PC's and craftos-http's default).
    Lua52,
    /// PUC Lua 5.3.
    Lua53,
    /// PUC Lua 5.4.
    Lua54,
    /// LuaJIT (a Lua 5.1).
    LuaJit,
}

/// The versions with their names, in order.
const VERSIONS: [(&str, LuaVersion); 5] = [
    ("5.1", LuaVersion::Lua51),
    ("5.2", LuaVersion::Lua52),
    ("5.3", LuaVersion::Lua53),
    ("5.4", LuaVersion::Lua54),
    ("luajit", LuaVersion::LuaJit),
];

/// What the probe script prints before the version.
const PROBE_PREFIX: &str = "conformance-probe lua: ";
/// The probe script: `_VERSION`, and whether `jit` is LuaJIT's.
const PROBE: &str = "print(\"conformance-probe lua: \" .. _VERSION .. \
                     (type(jit) == \"table\" and \" LuaJIT\" or \"\"))\n";
/// Bound on the probe run.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

impl LuaVersion {
    /// Parses `5.1`, `5.2`, `5.3`, `5.4` or `luajit`.
    pub(crate) fn parse(name: &str) -> Result<Self, String> {
        VERSIONS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, version)| *version)
            .ok_or_else(|| {
                format!("unknown Lua version {name:?} (one of 5.1, 5.2, 5.3, 5.4, luajit)")
            })
    }

    /// The name `parse` takes.
    pub(crate) fn name(self) -> &'static str {
        VERSIONS
            .iter()
            .find(|(_, version)| *version == self)
            .map(|(name, _)| *name)
            .expect("every version is in VERSIONS")
    }

    /// The language level: LuaJIT is a 5.1.
    fn level(self) -> u8 {
        match self {
            Self::Lua51 | Self::LuaJit => 51,
            Self::Lua52 => 52,
            Self::Lua53 => 53,
            Self::Lua54 => 54,
        }
    }

    /// The version the probe script printed, from the runner's stdout.
    fn from_probe(stdout: &str) -> Option<Self> {
        let line = stdout
            .lines()
            .find_map(|line| line.trim().strip_prefix(PROBE_PREFIX))?;
        let (version, jit) = match line.strip_suffix(" LuaJIT") {
            Some(version) => (version, true),
            None => (line, false),
        };
        let version = Self::parse(version.strip_prefix("Lua ")?).ok()?;
        Some(if jit { Self::LuaJit } else { version })
    }
}

impl fmt::Display for LuaVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LuaJit => f.write_str("LuaJIT"),
            other => write!(f, "Lua {}", other.name()),
        }
    }
}

/// One entry of a case's `lua` list: a version, or it and the later ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LuaRequirement {
    /// The version named.
    version: LuaVersion,
    /// `5.3+`: this version or a later one.
    or_later: bool,
}

impl LuaRequirement {
    /// Parses `5.2`, `5.3+`, `luajit`. `5.1` also takes LuaJIT (a 5.1);
    /// `luajit` takes only LuaJIT; `5.2+` takes 5.2, 5.3 and 5.4.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let (name, or_later) = match text.strip_suffix('+') {
            Some(name) => (name, true),
            None => (text, false),
        };
        let version = LuaVersion::parse(name)?;
        if or_later && version == LuaVersion::LuaJit {
            return Err("`luajit+` means nothing: name versions as 5.1+ etc.".to_owned());
        }
        Ok(Self { version, or_later })
    }

    /// Whether a runner with `lua` meets it.
    pub(crate) fn accepts(self, lua: LuaVersion) -> bool {
        if self.or_later {
            lua.level() >= self.version.level()
        } else if self.version == LuaVersion::Lua51 {
            lua.level() == 51
        } else {
            lua == self.version
        }
    }
}

impl fmt::Display for LuaRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.version.name())?;
        if self.or_later {
            f.write_str("+")?;
        }
        Ok(())
    }
}

/// Runs the probe script with `runner` (as `RUNNER PROBE PORT`, the
/// interface every runner has) and reads the Lua version it prints.
pub(crate) async fn probe(runner: &Runner) -> Result<LuaVersion, String> {
    let path = std::env::temp_dir().join(format!(
        "craftos-http-conformance-probe-{}.lua",
        std::process::id()
    ));
    std::fs::write(&path, PROBE)
        .map_err(|err| format!("cannot write the probe script {}: {err}", path.display()))?;
    let port = free_port().map_err(|err| format!("no free port on 127.0.0.1: {err}"))?;
    let args: Vec<OsString> = vec![path.clone().into_os_string(), port.to_string().into()];
    let result = async {
        let mut process = Process::spawn(runner, &args, false).map_err(|err| format!("{err:#}"))?;
        let waited = timeout(PROBE_TIMEOUT, process.wait()).await;
        let output = process.stop().await;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        match waited {
            Err(_) => Err(format!(
                "the probe script did not end within {} s",
                PROBE_TIMEOUT.as_secs()
            )),
            Ok(_) => LuaVersion::from_probe(&stdout).ok_or_else(|| {
                format!(
                    "the probe script printed no Lua version (stdout {stdout:?}, stderr {:?})",
                    String::from_utf8_lossy(&output.stderr)
                )
            }),
        }
    }
    .await;
    let _ = std::fs::remove_file(&path);
    result.map_err(|err| format!("cannot tell the runner's Lua version (use --lua): {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_requirements() {
        for (name, version) in VERSIONS {
            assert_eq!(LuaVersion::parse(name), Ok(version));
            assert_eq!(version.name(), name);
        }
        assert!(LuaVersion::parse("5.5").is_err());
        let req = |text| LuaRequirement::parse(text).unwrap();
        use LuaVersion::*;
        let table = [
            ("5.2", [false, true, false, false, false]),
            ("5.1", [true, false, false, false, true]),
            ("luajit", [false, false, false, false, true]),
            ("5.3+", [false, false, true, true, false]),
            ("5.1+", [true, true, true, true, true]),
        ];
        for (text, accepts) in table {
            let got: Vec<bool> = [Lua51, Lua52, Lua53, Lua54, LuaJit]
                .iter()
                .map(|v| req(text).accepts(*v))
                .collect();
            assert_eq!(got, accepts, "{text}");
            assert_eq!(req(text).to_string(), text);
        }
        assert!(LuaRequirement::parse("luajit+").is_err());
        assert!(LuaRequirement::parse("5").is_err());
    }

    #[test]
    fn probe_output() {
        let parse = LuaVersion::from_probe;
        assert_eq!(
            parse("conformance-probe lua: Lua 5.2\n"),
            Some(LuaVersion::Lua52)
        );
        assert_eq!(
            parse("banner\nconformance-probe lua: Lua 5.1 LuaJIT\r\n"),
            Some(LuaVersion::LuaJit)
        );
        assert_eq!(parse("conformance-probe lua: Lua 5.9\n"), None);
        assert_eq!(parse("Lua 5.2\n"), None);
    }
}
