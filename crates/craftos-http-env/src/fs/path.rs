//! Path rules of CraftOS-PC's `fs` (C++ `fixpath` and `normalizePath`),
//! as pure functions on byte strings.
//!
//! Two families:
//!
//! - [`components`] / [`display`]: how a path names a file. Bytes
//!   `" * : < > ? |` and control bytes are removed, `/` and `\` separate,
//!   empty, `.` and all-dot segments vanish, segments are trimmed of spaces,
//!   `..` climbs, and climbing above the root refuses the path (`None`). The
//!   last segment is cut to 255 bytes. [`display`] is the text error messages
//!   show after their `/`: there a `..` above the root is kept as `..` (and a
//!   later `..` removes it again), exactly as CraftOS-PC prints it.
//! - [`normalize`] and friends: the string functions `combine`, `getName`,
//!   `getDir`, which keep `*` and `?`, do not trim spaces and keep leading
//!   `..` segments.
//!
//! **\[fix\]** where CraftOS-PC corrupts names:
//! - bytes 128-255 are kept (CraftOS-PC drops them on platforms where
//!   `char` is signed, so `café` became `caf`);
//! - a segment is trimmed before it is classified, so ` .. ` is `..` and
//!   ` . ` vanishes (CraftOS-PC trims after classifying and then uses a
//!   literal `..` segment: a way out of its root);
//! - a last segment longer than 255 bytes is cut to 255 bytes and trailing
//!   spaces (CraftOS-PC drops one byte too many, down to an empty segment
//!   that names the parent directory);
//! - `\` separates in `combine`/`getName`/`getDir` too, as on CraftOS-PC for
//!   Windows and in CC: Tweaked (CraftOS-PC on Linux keeps it as a name
//!   byte there although `open` treats it as a separator).

/// Longest file name the host accepts; longer last segments are cut.
pub(crate) const NAME_MAX: usize = 255;

/// Whether CraftOS-PC removes `b` from a path.
fn removed(b: u8, wildcards: bool) -> bool {
    b < 32
        || matches!(b, b'"' | b':' | b'<' | b'>' | b'|')
        || (!wildcards && matches!(b, b'*' | b'?'))
}

fn is_separator(b: u8) -> bool {
    b == b'/' || b == b'\\'
}

fn trim_spaces(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| b != b' ').unwrap_or(s.len());
    let end = s.iter().rposition(|&b| b != b' ').map_or(start, |i| i + 1);
    &s[start..end]
}

fn all_dots(s: &[u8]) -> bool {
    s.iter().all(|&b| b == b'.')
}

/// What to do with a `..` that climbs above the root.
#[derive(Clone, Copy, PartialEq)]
enum Above {
    Refuse,
    Keep,
}

fn walk(path: &[u8], above: Above) -> Option<Vec<Vec<u8>>> {
    let cleaned: Vec<u8> = path
        .iter()
        .copied()
        .filter(|&b| !removed(b, false))
        .collect();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    for segment in cleaned.split(|&b| is_separator(b)) {
        let segment = trim_spaces(segment);
        if segment == b".." {
            if stack.pop().is_none() {
                match above {
                    Above::Refuse => return None,
                    Above::Keep => stack.push(b"..".to_vec()),
                }
            }
        } else if !all_dots(segment) {
            stack.push(segment.to_vec());
        }
    }
    if let Some(last) = stack.last_mut()
        && last.len() > NAME_MAX
    {
        last.truncate(NAME_MAX);
        let keep = trim_spaces(last).len();
        last.truncate(keep);
    }
    Some(stack)
}

/// The segments a path names under the root, or `None` when it climbs above
/// the root. The root itself is the empty list.
pub(crate) fn components(path: &[u8]) -> Option<Vec<Vec<u8>>> {
    walk(path, Above::Refuse)
}

/// The path as CraftOS-PC's messages print it after their `/`.
pub(crate) fn display(path: &[u8]) -> Vec<u8> {
    join(&walk(path, Above::Keep).unwrap_or_default())
}

/// Segments joined with `/`.
pub(crate) fn join(segments: &[Vec<u8>]) -> Vec<u8> {
    segments.join(&b'/')
}

/// The lexical normalisation of `combine`, `getName` and `getDir` over the
/// parts `parts` (joined by separators). `absolute` says whether the first
/// part began at the root: then a `..` above it vanishes, otherwise it stays.
fn normalize_parts<'a>(absolute: bool, parts: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut stack: Vec<Vec<u8>> = Vec::new();
    for part in parts {
        for raw in part.split(|&b| is_separator(b)) {
            let segment: Vec<u8> = raw.iter().copied().filter(|&b| !removed(b, true)).collect();
            if segment.is_empty() || (segment.len() != 2 && all_dots(&segment)) {
                continue;
            }
            if segment == b".." {
                match stack.last() {
                    Some(top) if top.as_slice() != b".." => {
                        stack.pop();
                    }
                    Some(_) => stack.push(segment),
                    None if absolute => {}
                    None => stack.push(segment),
                }
            } else {
                stack.push(segment);
            }
        }
    }
    join(&stack)
}

/// CraftOS-PC's `normalizePath(path, true)`: the path with `.` and `..`
/// resolved lexically, no leading or trailing `/`.
pub(crate) fn normalize(path: &[u8]) -> Vec<u8> {
    let absolute = path.first().is_some_and(|&b| is_separator(b));
    normalize_parts(absolute, [path])
}

/// `fs.combine(base, ...)`: empty parts are skipped.
pub(crate) fn combine(base: &[u8], rest: &[&[u8]]) -> Vec<u8> {
    let absolute = base.first().is_some_and(|&b| is_separator(b));
    let parts = std::iter::once(base).chain(rest.iter().copied().filter(|p| !p.is_empty()));
    normalize_parts(absolute, parts)
}

/// `fs.getName(path)`: the last segment, or `root`.
pub(crate) fn name(path: &[u8]) -> Vec<u8> {
    let normal = normalize(path);
    match normal.iter().rposition(|&b| b == b'/') {
        _ if normal.is_empty() => b"root".to_vec(),
        Some(i) => normal[i + 1..].to_vec(),
        None => normal,
    }
}

/// `fs.getDir(path)`: all but the last segment; `..` for the root.
pub(crate) fn dir(path: &[u8]) -> Vec<u8> {
    let normal = normalize(path);
    if normal.is_empty() {
        return b"..".to_vec();
    }
    match normal.iter().rposition(|&b| b == b'/') {
        Some(i) => normal[..i].to_vec(),
        None => Vec::new(),
    }
}

/// Whether `name` matches the `fs.find` wildcard segment `pattern` (`*` any
/// run of bytes, `?` one byte).
pub(crate) fn wildcard_match(pattern: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(&c) if c == b'?' || c == name[n] => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comps(p: &str) -> Option<Vec<String>> {
        components(p.as_bytes()).map(|v| {
            v.into_iter()
                .map(|s| String::from_utf8(s).unwrap())
                .collect()
        })
    }

    fn disp(p: &str) -> String {
        String::from_utf8(display(p.as_bytes())).unwrap()
    }

    fn comb(base: &str, rest: &[&str]) -> String {
        let rest: Vec<&[u8]> = rest.iter().map(|s| s.as_bytes()).collect();
        String::from_utf8(combine(base.as_bytes(), &rest)).unwrap()
    }

    #[test]
    fn components_resolve_dots_and_separators() {
        assert_eq!(comps(""), Some(vec![]));
        assert_eq!(comps("/"), Some(vec![]));
        assert_eq!(comps("a/b"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(comps("\\a\\\\b/"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(
            comps("a/./b/.../c"),
            Some(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(comps("a/../b"), Some(vec!["b".into()]));
        assert_eq!(comps("a/.."), Some(vec![]));
        assert_eq!(comps(" a / b "), Some(vec!["a".into(), "b".into()]));
        assert_eq!(comps("a/   /b"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(comps("a:b*c?d\"e<f>g|h"), Some(vec!["abcdefgh".into()]));
        assert_eq!(comps("a\0b\n/c"), Some(vec!["ab".into(), "c".into()]));
    }

    #[test]
    fn components_refuse_climbing_above_the_root() {
        assert_eq!(comps(".."), None);
        assert_eq!(comps("/.."), None);
        assert_eq!(comps("../x"), None);
        assert_eq!(comps("a/../../x"), None);
        assert_eq!(comps("/../../etc/passwd"), None);
        assert_eq!(comps("..\\x"), None);
        // trimmed before classified: ` .. ` climbs, it is not a name
        assert_eq!(comps(" .. /etc"), None);
        assert_eq!(comps("a/ .. / .. /x"), None);
        assert_eq!(comps(" . /a"), Some(vec!["a".into()]));
        // NUL and control bytes are removed before splitting
        assert_eq!(comps(".\0./x"), None);
        assert_eq!(comps("x\0/../../etc"), None);
    }

    #[test]
    fn long_last_segment_is_cut() {
        let long = "a".repeat(300);
        assert_eq!(comps(&long), Some(vec!["a".repeat(255)]));
        let spaced = format!("{}{}", "b".repeat(250), " ".repeat(10) + "c");
        assert_eq!(comps(&spaced), Some(vec!["b".repeat(250)]));
        // only the last segment is cut
        let mid = format!("{long}/x");
        assert_eq!(comps(&mid), Some(vec![long.clone(), "x".into()]));
    }

    #[test]
    fn display_keeps_dots_above_the_root() {
        assert_eq!(disp(""), "");
        assert_eq!(disp("a/b/"), "a/b");
        assert_eq!(disp(".."), "..");
        assert_eq!(disp("../x"), "../x");
        assert_eq!(disp("a/../../x"), "../x");
        // CraftOS-PC's own printing: a second `..` removes the first
        assert_eq!(disp("/../../etc/passwd"), "etc/passwd");
        assert_eq!(disp("x\0/../../etc/passwd"), "../etc/passwd");
    }

    #[test]
    fn combine_as_craftos() {
        assert_eq!(comb("a", &["b"]), "a/b");
        assert_eq!(comb("a/", &["/b/"]), "a/b");
        assert_eq!(comb("/a/", &["../b"]), "b");
        assert_eq!(comb("a", &["../../.."]), "../..");
        assert_eq!(comb("..", &[]), "..");
        assert_eq!(comb("/..", &[]), "");
        assert_eq!(comb("", &[".."]), "..");
        assert_eq!(comb("/", &[".."]), "");
        assert_eq!(comb("../a", &["..", ".."]), "../..");
        assert_eq!(comb("a/./b/.../c", &[]), "a/b/c");
        assert_eq!(comb("a\\b", &["c"]), "a/b/c");
        assert_eq!(comb("a*", &["b?"]), "a*/b?");
        assert_eq!(comb("a:b", &["<c>"]), "ab/c");
        assert_eq!(comb(" a ", &[" b"]), " a / b");
        assert_eq!(comb("a", &["", "b"]), "a/b");
        assert_eq!(comb("", &[]), "");
        assert_eq!(comb("a", &["//b"]), "a/b");
    }

    #[test]
    fn name_and_dir() {
        let n = |p: &str| String::from_utf8(name(p.as_bytes())).unwrap();
        let d = |p: &str| String::from_utf8(dir(p.as_bytes())).unwrap();
        assert_eq!(n(""), "root");
        assert_eq!(n("/"), "root");
        assert_eq!(n("a/b/"), "b");
        assert_eq!(n("a"), "a");
        assert_eq!(n(".."), "..");
        assert_eq!(n("a/b.lua"), "b.lua");
        assert_eq!(d(""), "..");
        assert_eq!(d("/"), "..");
        assert_eq!(d("a"), "");
        assert_eq!(d("a/b/c"), "a/b");
        assert_eq!(d("/a/b/"), "a");
        assert_eq!(d(".."), "");
        assert_eq!(d("../.."), "..");
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match(b"*", b""));
        assert!(wildcard_match(b"*", b"abc"));
        assert!(wildcard_match(b"a*c", b"abbbc"));
        assert!(wildcard_match(b"a?c", b"abc"));
        assert!(!wildcard_match(b"a?c", b"ac"));
        assert!(wildcard_match(b"*.lua", b"x.lua"));
        assert!(!wildcard_match(b"*.lua", b"x.luac"));
        assert!(wildcard_match(b"*a*b", b"xxaxxab"));
        assert!(!wildcard_match(b"abc", b"ab"));
        assert!(wildcard_match(b"a.b", b"a.b"));
        assert!(!wildcard_match(b"a.b", b"axb"));
    }
}
