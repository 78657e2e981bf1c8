//! System packages through APT, quietly (the output is shown only when a
//! step fails). Debian 12 has no Python 2.7: it comes from Debian 11
//! (bullseye) through a source and a pin of priority 100 (nothing that
//! bookworm has comes from bullseye) that exist only during the install.

use std::path::Path;
use std::process::Command;

use anyhow::Context as _;

/// The temporary bullseye source.
const SOURCE: &str = "/etc/apt/sources.list.d/craftos-http-autobahn-bullseye.sources";
/// The temporary pin that keeps bullseye below bookworm.
const PIN: &str = "/etc/apt/preferences.d/craftos-http-autobahn-bullseye";
/// Where the machine's sources are looked up for its Debian mirror.
const SOURCES: &[&str] = &["/etc/apt/sources.list", "/etc/apt/sources.list.d"];
/// The mirror when the machine names none.
const DEFAULT_MIRROR: &str = "http://deb.debian.org/debian";
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
        let mirror = debian_mirror();
        println!("== autobahn: adding Debian bullseye ({mirror}) to APT, pinned at priority 100");
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

/// The Debian mirror the machine's own sources use (the first URI ending
/// in `/debian`), or deb.debian.org.
fn debian_mirror() -> String {
    let mut texts = Vec::new();
    for source in SOURCES {
        let path = Path::new(source);
        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(path)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path())
                .collect();
            files.sort();
            texts.extend(files.iter().filter_map(|f| std::fs::read_to_string(f).ok()));
        } else if let Ok(text) = std::fs::read_to_string(path) {
            texts.push(text);
        }
    }
    texts
        .iter()
        .find_map(|text| mirror_in(text))
        .unwrap_or_else(|| DEFAULT_MIRROR.to_owned())
}

/// The first `http(s)://.../debian` URI in a sources file (one-line or
/// deb822 format), comments skipped.
fn mirror_in(text: &str) -> Option<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
        .filter(|word| word.starts_with("http://") || word.starts_with("https://"))
        .map(|word| word.trim_end_matches('/'))
        .find(|uri| uri.ends_with("/debian"))
        .map(str::to_owned)
}

/// The bullseye source and pin, removed on drop if not before.
struct TemporarySource {
    /// Whether the files are still there.
    present: bool,
}

impl TemporarySource {
    /// Writes the source (for `mirror`) and the pin.
    fn add(mirror: &str) -> anyhow::Result<Self> {
        let source = Self { present: true };
        let text = format!(
            "Types: deb\nURIs: {mirror}\nSuites: bullseye\nComponents: main\n\
             Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        );
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

    #[test]
    fn mirror_from_deb822_and_one_line_sources() {
        let deb822 = "Types: deb\n# http://snapshot.debian.org/archive/debian/x\n\
                      URIs: http://deb.debian.org/debian\nSuites: bookworm\n";
        assert_eq!(
            mirror_in(deb822).as_deref(),
            Some("http://deb.debian.org/debian")
        );
        let one_line = "deb https://packages.cloud.google.com/apt cloud-sdk main\n\
                        deb http://ftp.fr.debian.org/debian/ bookworm main\n";
        assert_eq!(
            mirror_in(one_line).as_deref(),
            Some("http://ftp.fr.debian.org/debian")
        );
        assert_eq!(
            mirror_in("URIs: http://deb.debian.org/debian-security\n"),
            None
        );
    }
}
