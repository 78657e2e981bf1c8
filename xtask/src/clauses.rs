//! `cargo xtask clauses`: every clause of the contract is pinned.
//!
//! Reads the clause ids of `docs/SEMANTICS.md` (bullets `- R5. ...`) and the
//! `clauses = [...]` of every conformance case under `tests/conformance/`,
//! and fails listing each clause no case names and not in [`EXEMPT`], each
//! clause a case names that the contract does not have, and each exemption
//! that is stale. When the shared spec beside the project
//! (`../shared/spec/SEMANTICS.md`) exists, it also checks that our copy is in
//! step with it: every shared clause present with the same text, every
//! other clause of ours marked `[added by craftos-http]`. Without it (a
//! clone of the repository alone, as on CI) that part is skipped, with a
//! note.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Deserialize;

/// The contract, in the repository.
const OURS: &str = "docs/SEMANTICS.md";
/// The shared spec it is a copy of (relative to the project root).
const SHARED: &str = "../shared/spec/SEMANTICS.md";
/// Where the conformance cases live.
const CASES: &str = "tests/conformance";
/// The mark of a clause the shared spec does not have.
const ADDED: &str = "**[added by craftos-http]**";

/// Clauses no conformance script can pin, each with the reason (keep it
/// short, and prefer writing the case).
const EXEMPT: &[(&str, &str)] = &[(
    "X20",
    "needs over 1 MiB of stdin, which a case holds literally; pinned by \
     tests/tests/stack/script_safety.rs (stdin_is_read_ahead_by_a_bounded_amount)",
)];

/// One clause: its id and its text (the bullet and its continuation lines,
/// joined with `\n`, the id included).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Clause {
    id: String,
    text: String,
}

/// Runs the check; `Ok(true)` when nothing is missing.
pub(crate) fn run(args: &[String]) -> anyhow::Result<bool> {
    if let Some(arg) = args.first() {
        anyhow::bail!("`clauses` takes no arguments (got {arg:?})");
    }
    let ours_text = std::fs::read_to_string(OURS).with_context(|| format!("reading {OURS}"))?;
    let ours = parse_clauses(&ours_text);
    anyhow::ensure!(!ours.is_empty(), "{OURS} has no clauses");
    let mut problems = duplicates(&ours, OURS);

    let pinned = pinned(Path::new(CASES))?;
    problems.extend(coverage(&ours, &pinned, EXEMPT));

    match shared(Path::new(SHARED), &ours)? {
        Some(found) => problems.extend(found),
        None => println!(
            "note: {SHARED} is not here (a clone of the repository alone): \
             not checking that {OURS} is in step with it"
        ),
    }

    let cases: usize = pinned.values().map(Vec::len).sum();
    for (id, reason) in EXEMPT {
        println!("{id}: exempt: {reason}");
    }
    if problems.is_empty() {
        println!(
            "{} clauses, each pinned by a case ({} exempt); {} clause references in the cases",
            ours.len(),
            EXEMPT.len(),
            cases
        );
        Ok(true)
    } else {
        for problem in &problems {
            println!("{problem}");
        }
        println!("{} problems with the clauses of {OURS}", problems.len());
        Ok(false)
    }
}

/// The clauses of a SEMANTICS.md text, in order: each line `- ID. ...`
/// (ID a capital letter or two and a number) with the lines that continue
/// it (indented, up to a blank line, a heading or the next bullet).
fn parse_clauses(text: &str) -> Vec<Clause> {
    let mut clauses: Vec<Clause> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if let Some(id) = clause_id(line) {
            clauses.push(Clause {
                id: id.to_owned(),
                text: line.trim_end().to_owned(),
            });
            open = true;
        } else if open && line.starts_with("  ") && !line.trim().is_empty() {
            let last = clauses.last_mut().expect("open means one is there");
            last.text.push('\n');
            last.text.push_str(line.trim_end());
        } else {
            open = false;
        }
    }
    clauses
}

/// The id of a clause bullet (`- R5. text` gives `R5`).
fn clause_id(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("- ")?;
    let (id, _) = rest.split_once(". ")?;
    let letters = id.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = &id[letters..];
    ((1..=2).contains(&letters) && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(id)
}

/// A clause id given twice.
fn duplicates(clauses: &[Clause], file: &str) -> Vec<String> {
    let mut seen = BTreeMap::new();
    for clause in clauses {
        *seen.entry(clause.id.as_str()).or_insert(0) += 1;
    }
    seen.into_iter()
        .filter(|&(_, n)| n > 1)
        .map(|(id, n)| format!("{id} is given {n} times in {file}"))
        .collect()
}

/// The case header, as far as this check reads it.
#[derive(Deserialize)]
struct Header {
    clauses: Vec<String>,
}

/// Clause id -> the cases (paths) that name it, for every `.lua` under
/// `dir`. A case whose header does not parse is an error: it pins nothing.
fn pinned(dir: &Path) -> anyhow::Result<BTreeMap<String, Vec<PathBuf>>> {
    let mut files = Vec::new();
    lua_files(dir, &mut files)?;
    anyhow::ensure!(
        !files.is_empty(),
        "no conformance case under {}",
        dir.display()
    );
    let mut pinned: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let header = header(&text).with_context(|| format!("{}", path.display()))?;
        for id in header.clauses {
            pinned.entry(id).or_default().push(path.clone());
        }
    }
    Ok(pinned)
}

/// The `.lua` files under `dir`, sorted, as the harness finds them
/// (symlinked directories are not followed).
fn lua_files(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let entry = entry?;
        entries.push((entry.path(), entry.file_type()?.is_dir()));
    }
    entries.sort();
    for (path, is_dir) in entries {
        if is_dir {
            lua_files(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "lua") {
            out.push(path);
        }
    }
    Ok(())
}

/// The `--[==[case ... ]==]` header of a case (the harness's format, see
/// `tests/conformance/README.md`), its `clauses` only.
fn header(text: &str) -> anyhow::Result<Header> {
    let rest = text
        .strip_prefix("--[==[case\n")
        .context("the file does not begin with a `--[==[case` block")?;
    let end = rest
        .find("]==]")
        .context("the case block is never closed")?;
    Ok(toml::from_str(&rest[..end])?)
}

/// The clauses pinned by no case and not in `exempt`, the clauses cases
/// name that the contract lacks, and stale exemptions.
fn coverage(
    clauses: &[Clause],
    pinned: &BTreeMap<String, Vec<PathBuf>>,
    exemptions: &[(&str, &str)],
) -> Vec<String> {
    let known = |id: &str| clauses.iter().any(|c| c.id == id);
    let exempt = |id: &str| exemptions.iter().any(|(e, _)| *e == id);
    let mut problems: Vec<String> = clauses
        .iter()
        .filter(|c| !pinned.contains_key(&c.id) && !exempt(&c.id))
        .map(|c| format!("{}: pinned by no conformance case", c.id))
        .collect();
    for (id, cases) in pinned {
        if !known(id) {
            let names: Vec<String> = cases.iter().map(|p| p.display().to_string()).collect();
            problems.push(format!(
                "{id}: named by {} but not a clause of {OURS}",
                names.join(", ")
            ));
        }
    }
    for (id, _) in exemptions {
        if !known(id) {
            problems.push(format!("{id}: exempt, but not a clause of {OURS}"));
        } else if pinned.contains_key(*id) {
            problems.push(format!(
                "{id}: exempt, but pinned by a case: drop the exemption"
            ));
        }
    }
    problems
}

/// The problems of [`in_step`] against the shared spec at `path`, or
/// `None` when there is no file there.
fn shared(path: &Path, ours: &[Clause]) -> anyhow::Result<Option<Vec<String>>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(in_step(&parse_clauses(&text), ours))),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}

/// Our clauses against the shared spec's: each shared clause present with
/// the same text; each of ours that the spec lacks marked as added, and
/// none marked as added that the spec has.
fn in_step(shared: &[Clause], ours: &[Clause]) -> Vec<String> {
    let mut problems = Vec::new();
    for clause in shared {
        match ours.iter().find(|c| c.id == clause.id) {
            None => problems.push(format!("{}: in {SHARED}, missing from {OURS}", clause.id)),
            Some(mine) if mine.text != clause.text => problems.push(format!(
                "{}: its text in {OURS} differs from {SHARED} (copy it again)",
                clause.id
            )),
            Some(_) => {}
        }
    }
    for mine in ours {
        if !shared.iter().any(|c| c.id == mine.id) && !is_added(&mine.text) {
            problems.push(format!(
                "{}: not in {SHARED}, and not marked {ADDED} after its id",
                mine.id
            ));
        }
    }
    problems
}

/// Whether a clause's text begins with the added mark after its id.
fn is_added(text: &str) -> bool {
    text.split_once(". ")
        .is_some_and(|(_, rest)| rest.starts_with(ADDED))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "\
# title
Some text - R9. not a clause.
## 1. Events
- E1. Server events reach the computer,
  in order.
- E2. Native events
  are never dropped.

- Not a clause.
- E10. **[added by craftos-http]** Ours.
## 2
- XY12. two letters.
";

    fn ids(clauses: &[Clause]) -> Vec<&str> {
        clauses.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn clauses_with_their_continuation_lines() {
        let clauses = parse_clauses(SPEC);
        assert_eq!(ids(&clauses), ["E1", "E2", "E10", "XY12"]);
        assert_eq!(
            clauses[0].text,
            "- E1. Server events reach the computer,\n  in order."
        );
        assert_eq!(clauses[1].text, "- E2. Native events\n  are never dropped.");
        assert!(is_added(&clauses[2].text));
        assert!(!is_added(&clauses[0].text));
    }

    #[test]
    fn ids_are_letters_then_digits() {
        assert_eq!(clause_id("- W10. x"), Some("W10"));
        assert_eq!(clause_id("- W. x"), None);
        assert_eq!(clause_id("- 10. x"), None);
        assert_eq!(clause_id("- ABC1. x"), None);
        assert_eq!(clause_id("  - E1. x"), None);
        assert_eq!(clause_id("- E1 x"), None);
    }

    #[test]
    fn unpinned_and_unknown_clauses_are_reported() {
        let clauses = parse_clauses(SPEC);
        let mut pinned = BTreeMap::new();
        pinned.insert("E1".to_owned(), vec![PathBuf::from("a.lua")]);
        pinned.insert("E2".to_owned(), vec![PathBuf::from("a.lua")]);
        pinned.insert("Q7".to_owned(), vec![PathBuf::from("b.lua")]);
        let problems = coverage(
            &clauses,
            &pinned,
            &[("XY12", "why"), ("E1", "why"), ("Z1", "why")],
        );
        assert_eq!(
            problems,
            [
                "E10: pinned by no conformance case",
                "Q7: named by b.lua but not a clause of docs/SEMANTICS.md",
                "E1: exempt, but pinned by a case: drop the exemption",
                "Z1: exempt, but not a clause of docs/SEMANTICS.md",
            ]
        );
    }

    #[test]
    fn copies_must_match_and_additions_be_marked() {
        let shared = parse_clauses("- E1. a\n  b\n- E2. c\n");
        let ours = parse_clauses(
            "- E1. a\n  b\n- E2. c, changed\n- E3. **[added by craftos-http]** d\n- E4. e\n",
        );
        assert_eq!(
            in_step(&shared, &ours),
            [
                "E2: its text in docs/SEMANTICS.md differs from ../shared/spec/SEMANTICS.md (copy it again)",
                "E4: not in ../shared/spec/SEMANTICS.md, and not marked **[added by craftos-http]** after its id",
            ]
        );
        let missing = parse_clauses("- E1. a\n  b\n");
        assert_eq!(
            in_step(&shared, &missing),
            ["E2: in ../shared/spec/SEMANTICS.md, missing from docs/SEMANTICS.md"]
        );
    }

    #[test]
    fn a_missing_shared_spec_is_skipped() {
        let ours = parse_clauses("- E1. a\n");
        let nowhere = Path::new("/nonexistent/shared/spec/SEMANTICS.md");
        assert_eq!(shared(nowhere, &ours).expect("not an error"), None);
    }

    #[test]
    fn headers_give_their_clauses() {
        let header = header("--[==[case\nclauses = [\"R5\", \"R6\"] # x\nsummary = \"s\"\n[[step]]\nsend = 'x'\n]==]\nprint()\n")
            .expect("parses");
        assert_eq!(header.clauses, ["R5", "R6"]);
        assert!(self::header("print()\n").is_err());
    }

    #[test]
    fn the_repository_is_consistent() {
        // The real files, from the project root (cargo test runs in xtask/).
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("root");
        let ours = parse_clauses(&std::fs::read_to_string(root.join(OURS)).expect("SEMANTICS"));
        let pinned = pinned(&root.join(CASES)).expect("cases");
        assert!(duplicates(&ours, OURS).is_empty());
        let problems = coverage(&ours, &pinned, EXEMPT);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
