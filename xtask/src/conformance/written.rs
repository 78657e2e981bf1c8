//! `written` (top level of a case): files the run must leave in the case's
//! own root, with exactly these bytes, checked after the runner has exited
//! (so what a script wrote and never closed must have reached the disk
//! however its run ended). The case runs from its own directory, as with
//! `files`.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use super::{check, escape};

/// Decodes `written` as written in the case: path (relative to the case's
/// root, inside it) -> escaped contents.
pub(crate) fn parse(raw: BTreeMap<String, String>) -> Result<Vec<(String, Vec<u8>)>, String> {
    raw.into_iter()
        .map(|(path, text)| {
            let inside = !path.is_empty()
                && Path::new(&path)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)));
            if !inside {
                return Err(format!(
                    "`written`: {path:?} must be a relative path inside the case's root"
                ));
            }
            let bytes = escape::decode(&text).map_err(|err| format!("`written.{path}`: {err}"))?;
            Ok((path, bytes))
        })
        .collect()
}

/// Checks that each file is in `root` with its exact contents.
pub(crate) fn check(root: &Path, written: &[(String, Vec<u8>)]) -> Result<(), String> {
    for (path, expected) in written {
        let got = std::fs::read(root.join(path))
            .map_err(|err| format!("written {path}: cannot read it after the run: {err}"))?;
        check::bytes(&format!("written {path}"), expected, &got)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_and_contents_are_decoded() {
        let raw = |path: &str| BTreeMap::from([(path.to_owned(), "a\\n\\x00".to_owned())]);
        assert_eq!(
            parse(raw("d/f.txt")).expect("valid"),
            [("d/f.txt".to_owned(), b"a\n\0".to_vec())]
        );
        for bad in ["", "/etc/passwd", "../x", "a/../b", "./a"] {
            assert!(parse(raw(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn contents_must_match() {
        let dir = std::env::temp_dir().join(format!("xtask-written-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("f"), b"abc").expect("write");
        assert!(check(&dir, &[("f".to_owned(), b"abc".to_vec())]).is_ok());
        assert!(check(&dir, &[("f".to_owned(), b"abd".to_vec())]).is_err());
        assert!(check(&dir, &[("g".to_owned(), b"".to_vec())]).is_err());
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
