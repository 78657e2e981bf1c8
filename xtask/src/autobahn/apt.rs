//! System packages through APT, quietly (the output is shown only when a
//! step fails). Debian 12 has no Python 2.7: it comes from Debian 11
//! (bullseye) through a source and a pin of priority 100 (nothing that
//! bookworm has comes from bullseye) that exist only during the install.
//! The bullseye source uses the mirror of the machine's own sources (the
//! one it installs its release from); no archive is named here, and a
//! machine whose sources name none gets an error saying so.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context as _;

/// The temporary bullseye source.
const SOURCE: &str = "/etc/apt/sources.list.d/craftos-http-autobahn-bullseye.sources";
/// The temporary pin that keeps bullseye below bookworm.
const PIN: &str = "/etc/apt/preferences.d/craftos-http-autobahn-bullseye";
/// The machine's one-line sources file.
const SOURCES_LIST: &str = "/etc/apt/sources.list";
/// The directory of the machine's other sources (`*.list`, `*.sources`).
const SOURCES_DIR: &str = "/etc/apt/sources.list.d";
/// Where the machine's release codename is read.
const OS_RELEASE: &str = "/etc/os-release";
/// The keyring of Debian's archive keys, bullseye's included.
const DEBIAN_KEYRING: &str = "/usr/share/keyrings/debian-archive-keyring.gpg";
/// The pin's text.
const PIN_TEXT: &str = "\
Package: *
Pin: release n=bullseye
Pin-Priority: 100
";

/// Installs `packages`; with `bullseye`, bullseye's packages can be
/// installed too (its source is removed again before this returns).
pub(crate) fn install(packages: &[&str], bullseye: bool) -> anyhow::Result<()> {
    anyhow::ensure!(
        Path::new("/usr/bin/apt-get").exists(),
        "no apt-get: install {} yourself",
        packages.join(" ")
    );
    let source = if bullseye {
        let mirror = machine_mirror().with_context(|| {
            format!(
                "cannot add Debian bullseye to APT for {} (or install them yourself)",
                packages.join(" ")
            )
        })?;
        println!(
            "== autobahn: adding Debian bullseye ({}, the mirror of this machine's {}) to APT, \
             pinned at priority 100",
            mirror.uri, mirror.suite
        );
        Some(TemporarySource::add(&mirror)?)
    } else {
        None
    };
    println!("== autobahn: apt-get install {}", packages.join(" "));
    let installed = apt_get(&["update"]).and_then(|()| {
        let mut args = vec!["install", "--yes", "--no-install-recommends"];
        args.extend_from_slice(packages);
        apt_get(&args)
    });
    if let Some(source) = source {
        println!("== autobahn: removing Debian bullseye from APT");
        source.remove()?;
        apt_get(&["update"])?;
    }
    installed
}

/// Runs `apt-get -qq ARGS` non-interactively; its output is printed only
/// if it fails.
fn apt_get(args: &[&str]) -> anyhow::Result<()> {
    let output = Command::new("apt-get")
        .arg("-qq")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .context("starting apt-get")?;
    if !output.status.success() {
        anyhow::bail!(
            "apt-get {} failed ({}):\n{}{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// The archive the machine installs its own Debian release from: a
/// bullseye source can use the same mirror.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mirror {
    /// The archive's URI, without a trailing `/`.
    uri: String,
    /// The machine's release, the suite the source was found for.
    suite: String,
}

/// One APT source: a line of a one-line file or a deb822 stanza.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Entry {
    /// `deb`, `deb-src`.
    types: Vec<String>,
    /// The archive URIs.
    uris: Vec<String>,
    /// The suites (`bookworm`, `bookworm-updates`, ...).
    suites: Vec<String>,
    /// The components (`main`, ...).
    components: Vec<String>,
    /// False for a deb822 stanza with `Enabled: no`.
    enabled: bool,
    /// The `Signed-By` value (a keyring path, or an inline key).
    signed_by: Option<String>,
}

/// The mirror of the machine's own APT sources for its release, or an
/// error saying what was looked for and where.
fn machine_mirror() -> anyhow::Result<Mirror> {
    let codename = std::fs::read_to_string(OS_RELEASE)
        .ok()
        .and_then(|text| codename(&text));
    let files = source_files();
    let entries: Vec<Entry> = files
        .iter()
        .flat_map(|(path, text)| entries(path, text))
        .collect();
    let Some(codename) = codename else {
        anyhow::bail!(
            "{OS_RELEASE} names no VERSION_CODENAME, so no APT source can be told to be this machine's release"
        );
    };
    find_mirror(&entries, &codename).ok_or_else(|| {
        let read: Vec<String> = files
            .iter()
            .map(|(path, _)| path.display().to_string())
            .collect();
        anyhow::anyhow!(
            "no APT source of this machine is a Debian archive for its release: none is an \
             enabled `deb` source of suite {codename} with component main over http(s) (read: {})",
            if read.is_empty() {
                "no sources file".to_owned()
            } else {
                read.join(", ")
            }
        )
    })
}

/// `VERSION_CODENAME` from the text of `/etc/os-release`.
fn codename(os_release: &str) -> Option<String> {
    os_release.lines().find_map(|line| {
        let value = line.trim().strip_prefix("VERSION_CODENAME=")?;
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// The sources files APT reads, in its order: `sources.list`, then the
/// `*.list` and `*.sources` files of `sources.list.d` sorted by name
/// (APT ignores other names, e.g. `*.disabled`).
fn source_files() -> Vec<(PathBuf, String)> {
    let mut paths = vec![PathBuf::from(SOURCES_LIST)];
    let mut listed: Vec<PathBuf> = std::fs::read_dir(SOURCES_DIR)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| is_sources_file(path))
        .collect();
    listed.sort();
    paths.extend(listed);
    paths
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            Some((path, text))
        })
        .collect()
}

/// Whether APT reads `path` in `sources.list.d`: `*.list` or `*.sources`.
fn is_sources_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "list" || ext == "sources")
}

/// The sources of one file: deb822 stanzas for `*.sources`, else one-line
/// entries.
fn entries(path: &Path, text: &str) -> Vec<Entry> {
    if path.extension().is_some_and(|ext| ext == "sources") {
        deb822(text)
    } else {
        one_line(text)
    }
}

/// The first source that is the machine's release from Debian's archive:
/// enabled, `deb`, suite `codename`, component `main`, an http(s) URI.
/// Among those, one signed by Debian's keyring (or by APT's default
/// keys) wins over one with a keyring of its own (a vendor's archive that
/// also calls its suite `codename`).
fn find_mirror(entries: &[Entry], codename: &str) -> Option<Mirror> {
    let candidates: Vec<(&Entry, &str)> = entries
        .iter()
        .filter(|entry| {
            entry.enabled
                && entry.types.iter().any(|t| t == "deb")
                && entry.suites.iter().any(|s| s == codename)
                && entry.components.iter().any(|c| c == "main")
        })
        .filter_map(|entry| {
            let uri = entry
                .uris
                .iter()
                .find(|uri| uri.starts_with("http://") || uri.starts_with("https://"))?;
            Some((entry, uri.trim_end_matches('/')))
        })
        .collect();
    let debian_keyed = |entry: &Entry| {
        entry
            .signed_by
            .as_deref()
            .is_none_or(|keyring| keyring == DEBIAN_KEYRING)
    };
    candidates
        .iter()
        .find(|(entry, _)| debian_keyed(entry))
        .or_else(|| candidates.first())
        .map(|(_, uri)| Mirror {
            uri: (*uri).to_owned(),
            suite: codename.to_owned(),
        })
}

/// Entries of a one-line sources file: `deb [options] URI SUITE
/// [COMPONENT...]`, `#` starting a comment.
fn one_line(text: &str) -> Vec<Entry> {
    text.lines()
        .filter_map(|line| {
            let line = line.split('#').next().unwrap_or_default();
            let mut words = line.split_whitespace();
            let kind = words.next()?;
            if kind != "deb" && kind != "deb-src" {
                return None;
            }
            let mut entry = Entry {
                types: vec![kind.to_owned()],
                enabled: true,
                ..Entry::default()
            };
            let mut word = words.next()?;
            if let Some(first) = word.strip_prefix('[') {
                // Options, up to the word that ends with `]`.
                let mut option = first;
                loop {
                    let (text, last) = match option.strip_suffix(']') {
                        Some(text) => (text, true),
                        None => (option, false),
                    };
                    if let Some(keyring) = text.strip_prefix("signed-by=") {
                        entry.signed_by = Some(keyring.to_owned());
                    }
                    if last {
                        break;
                    }
                    option = words.next()?;
                }
                word = words.next()?;
            }
            entry.uris.push(word.to_owned());
            entry.suites.push(words.next()?.to_owned());
            entry.components = words.map(str::to_owned).collect();
            Some(entry)
        })
        .collect()
}

/// Entries of a deb822 `*.sources` file: stanzas apart by blank lines,
/// `Field: value` lines continued by indented ones, `#` lines skipped.
fn deb822(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines().chain([""]) {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if !fields.is_empty() {
                entries.push(stanza(&fields));
                fields.clear();
            }
        } else if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push('\n');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            fields.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    entries
}

/// One deb822 stanza's entry.
fn stanza(fields: &[(String, String)]) -> Entry {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    };
    let words = |name: &str| {
        field(name)
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    Entry {
        types: words("types"),
        uris: words("uris"),
        suites: words("suites"),
        components: words("components"),
        enabled: field("enabled").is_none_or(|value| !value.eq_ignore_ascii_case("no")),
        signed_by: field("signed-by").map(str::to_owned),
    }
}

/// The text of the temporary bullseye source for `mirror`: signed by
/// Debian's keyring when the machine has it (else APT's default keys).
fn bullseye_source(mirror: &Mirror, keyring: bool) -> String {
    let mut text = format!(
        "Types: deb\nURIs: {}\nSuites: bullseye\nComponents: main\n",
        mirror.uri
    );
    if keyring {
        text.push_str(&format!("Signed-By: {DEBIAN_KEYRING}\n"));
    }
    text
}

/// The bullseye source and pin, removed on drop if not before.
struct TemporarySource {
    /// Whether the files are still there.
    present: bool,
}

impl TemporarySource {
    /// Writes the source (for `mirror`) and the pin.
    fn add(mirror: &Mirror) -> anyhow::Result<Self> {
        let source = Self { present: true };
        let text = bullseye_source(mirror, Path::new(DEBIAN_KEYRING).exists());
        let written = std::fs::write(PIN, PIN_TEXT)
            .and_then(|()| std::fs::write(SOURCE, text))
            .with_context(|| format!("writing {SOURCE} and {PIN}"));
        if let Err(err) = written {
            source.remove()?;
            return Err(err);
        }
        Ok(source)
    }

    /// Removes the source and the pin.
    fn remove(mut self) -> anyhow::Result<()> {
        self.present = false;
        remove_files()
    }
}

impl Drop for TemporarySource {
    fn drop(&mut self) {
        if self.present {
            let _ = remove_files();
        }
    }
}

/// Removes the source and the pin, those that exist.
fn remove_files() -> anyhow::Result<()> {
    for path in [SOURCE, PIN] {
        match std::fs::remove_file(path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                return Err(err).with_context(|| format!("removing {path}"));
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mirror(uri: &str) -> Option<Mirror> {
        Some(Mirror {
            uri: uri.to_owned(),
            suite: "bookworm".to_owned(),
        })
    }

    #[test]
    fn mirror_from_deb822_sources() {
        let text = "\
# A disabled stanza and a source-only one come first.
Types: deb
URIs: http://old.mirror.example/debian
Suites: bookworm
Components: main
Enabled: no

Types: deb-src
URIs: http://src.mirror.example/debian
Suites: bookworm
Components: main

Types: deb
# http://snapshot.mirror.example/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian/
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://security.mirror.example/debian-security
Suites: bookworm-security
Components: main
";
        let entries = entries(Path::new("debian.sources"), text);
        assert_eq!(entries.len(), 4);
        assert!(!entries[0].enabled && entries[2].enabled);
        assert_eq!(
            find_mirror(&entries, "bookworm"),
            mirror("http://mirror.example/debian")
        );
        // Another release's machine finds nothing here.
        assert_eq!(find_mirror(&entries, "trixie"), None);
    }

    #[test]
    fn mirror_from_one_line_sources() {
        let text = "\
deb [arch=amd64 signed-by=/usr/share/keyrings/vendor.gpg] https://vendor.example/apt bookworm main
deb https://other.vendor.example/linux/debian bookworm stable
# deb http://commented.mirror.example/debian bookworm main
deb-src http://src.mirror.example/debian bookworm main
deb http://mirror.example/debian/ bookworm main contrib # trailing comment
deb http://later.mirror.example/debian bookworm main
";
        let entries = entries(Path::new("sources.list"), text);
        assert_eq!(entries.len(), 5);
        assert_eq!(
            entries[0].signed_by.as_deref(),
            Some("/usr/share/keyrings/vendor.gpg")
        );
        assert_eq!(entries[0].uris, ["https://vendor.example/apt"]);
        // The vendor's archive (own keyring) and the one without `main`
        // lose to the first Debian-keyed source of the release.
        assert_eq!(
            find_mirror(&entries, "bookworm"),
            mirror("http://mirror.example/debian")
        );
        // With only a vendor's source for the release, it is used.
        assert_eq!(
            find_mirror(&entries[..1], "bookworm"),
            mirror("https://vendor.example/apt")
        );
    }

    #[test]
    fn no_mirror_without_a_release_source() {
        let text = "\
Types: deb
URIs: http://security.mirror.example/debian-security
Suites: bookworm-security
Components: main

Types: deb
URIs: cdrom:/media/cdrom/
Suites: bookworm
Components: main
";
        assert_eq!(
            find_mirror(&entries(Path::new("x.sources"), text), "bookworm"),
            None
        );
        assert_eq!(find_mirror(&[], "bookworm"), None);
    }

    #[test]
    fn only_list_and_sources_files_are_read() {
        assert!(is_sources_file(Path::new("/d/debian.sources")));
        assert!(is_sources_file(Path::new("/d/vendor.list")));
        assert!(!is_sources_file(Path::new("/d/vendor.list.disabled")));
        assert!(!is_sources_file(Path::new("/d/vendor.sources.bak")));
    }

    #[test]
    fn codename_from_os_release() {
        let text = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_CODENAME=bookworm\n";
        assert_eq!(codename(text).as_deref(), Some("bookworm"));
        assert_eq!(
            codename("VERSION_CODENAME=\"trixie\"\n").as_deref(),
            Some("trixie")
        );
        assert_eq!(codename("ID=debian\nVERSION_CODENAME=\n"), None);
    }

    #[test]
    fn the_bullseye_source_uses_the_mirror() {
        let found = mirror("http://mirror.example/debian").unwrap();
        let text = bullseye_source(&found, true);
        assert_eq!(
            text,
            "Types: deb\nURIs: http://mirror.example/debian\nSuites: bullseye\n\
             Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        );
        assert!(!bullseye_source(&found, false).contains("Signed-By"));
        // It is read back as a bullseye source of that mirror.
        let back = entries(Path::new("x.sources"), &text);
        assert_eq!(
            find_mirror(&back, "bullseye").map(|m| m.uri),
            Some(found.uri)
        );
    }
}
