//! Reading the fuzzing client's report (`index.json`, and a case's own
//! report for the reason it failed) and judging it.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use serde::Deserialize;

use super::wstest::AGENT;

/// Behaviours that pass, best first. Anything else fails (FAILED,
/// WRONG CODE, UNCLEAN, UNIMPLEMENTED: the last is only expected of the
/// compression groups 12 and 13, which are not run).
const ACCEPTED: &[&str] = &["OK", "NON-STRICT", "INFORMATIONAL"];

/// One case's line in `index.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CaseResult {
    /// Verdict on the case's main expectation.
    pub(crate) behavior: String,
    /// Verdict on the closing handshake.
    #[serde(rename = "behaviorClose")]
    pub(crate) behavior_close: String,
    /// The case's own report, relative to the report directory.
    #[serde(default)]
    pub(crate) reportfile: Option<String>,
}

impl CaseResult {
    /// Whether both verdicts are accepted.
    fn passed(&self) -> bool {
        ACCEPTED.contains(&self.behavior.as_str())
            && ACCEPTED.contains(&self.behavior_close.as_str())
    }
}

/// The results in `reports/index.json` for our agent, in case order
/// (`1.1.2` before `1.1.10`).
pub(crate) fn load(reports: &Path) -> anyhow::Result<Vec<(String, CaseResult)>> {
    let path = reports.join("index.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    parse_index(&text).with_context(|| format!("in {}", path.display()))
}

/// Parses an `index.json` and sorts our agent's cases.
fn parse_index(text: &str) -> anyhow::Result<Vec<(String, CaseResult)>> {
    let mut index: BTreeMap<String, BTreeMap<String, CaseResult>> = serde_json::from_str(text)?;
    let cases = index
        .remove(AGENT)
        .with_context(|| format!("no results for the agent {AGENT:?}"))?;
    anyhow::ensure!(!cases.is_empty(), "no case was run");
    let mut cases: Vec<(String, CaseResult)> = cases.into_iter().collect();
    cases.sort_by_cached_key(|(id, _)| case_key(id));
    Ok(cases)
}

/// `"6.4.10"` -> `[6, 4, 10]`, for numeric ordering.
fn case_key(id: &str) -> Vec<u32> {
    id.split('.')
        .map(|part| part.parse().unwrap_or(u32::MAX))
        .collect()
}

/// Prints counts per behaviour, the cases that are not plainly OK, and the
/// failures with their reasons. Returns whether every case passed.
pub(crate) fn summarize(results: &[(String, CaseResult)], reports: &Path) -> bool {
    let behaviors = count(results.iter().map(|(_, r)| r.behavior.as_str()));
    let closes = count(results.iter().map(|(_, r)| r.behavior_close.as_str()));
    println!(
        "== autobahn: {} cases: {} (closing handshake: {})",
        results.len(),
        behaviors,
        closes
    );
    for behavior in &ACCEPTED[1..] {
        let ids: Vec<&str> = results
            .iter()
            .filter(|(_, r)| r.behavior == *behavior || r.behavior_close == *behavior)
            .map(|(id, _)| id.as_str())
            .collect();
        if !ids.is_empty() {
            println!("   {behavior}: {}", ids.join(", "));
        }
    }
    let failed: Vec<&(String, CaseResult)> = results.iter().filter(|(_, r)| !r.passed()).collect();
    for (id, result) in &failed {
        println!(
            "   FAIL {id}: {} / close {}{}",
            result.behavior,
            result.behavior_close,
            reason(reports, result)
        );
    }
    println!(
        "== autobahn: {} passed, {} failed (reports: {}/index.html)",
        results.len() - failed.len(),
        failed.len(),
        reports.display()
    );
    failed.is_empty()
}

/// `296 OK, 2 NON-STRICT, 3 INFORMATIONAL`: accepted behaviours first, in
/// their order, then the others by name.
fn count<'a>(behaviors: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    for behavior in behaviors {
        let rank = ACCEPTED
            .iter()
            .position(|&accepted| accepted == behavior)
            .unwrap_or(ACCEPTED.len());
        *counts.entry((rank, behavior)).or_default() += 1;
    }
    counts
        .iter()
        .map(|((_, behavior), n)| format!("{n} {behavior}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `: <result>; close: <resultClose> (<file>)` from a failed case's own
/// report, or nothing if it cannot be read.
fn reason(reports: &Path, result: &CaseResult) -> String {
    let Some(file) = &result.reportfile else {
        return String::new();
    };
    let path = reports.join(file);
    let Some(report) = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
    else {
        return format!(" ({})", path.display());
    };
    let text = |key: &str| report[key].as_str().unwrap_or("?").to_owned();
    format!(
        ": {}; close: {} ({})",
        text("result"),
        text("resultClose"),
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = r#"{"craftos-http": {
        "1.1.10": {"behavior": "OK", "behaviorClose": "OK", "reportfile": "a.json"},
        "1.1.2": {"behavior": "OK", "behaviorClose": "OK"},
        "6.4.3": {"behavior": "NON-STRICT", "behaviorClose": "OK"},
        "7.1.6": {"behavior": "INFORMATIONAL", "behaviorClose": "INFORMATIONAL"},
        "9.1.1": {"behavior": "FAILED", "behaviorClose": "OK"},
        "10.1.1": {"behavior": "OK", "behaviorClose": "UNCLEAN"}
    }}"#;

    #[test]
    fn cases_sort_numerically() {
        let ids: Vec<String> = parse_index(INDEX)
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(
            ids,
            ["1.1.2", "1.1.10", "6.4.3", "7.1.6", "9.1.1", "10.1.1"]
        );
    }

    #[test]
    fn only_accepted_behaviours_pass() {
        let cases = parse_index(INDEX).unwrap();
        let failed: Vec<&str> = cases
            .iter()
            .filter(|(_, r)| !r.passed())
            .map(|(id, _)| id.as_str())
            .collect();
        assert_eq!(failed, ["9.1.1", "10.1.1"]);
        assert!(!summarize(&cases, Path::new("/nonexistent")));
        assert!(summarize(&cases[..4], Path::new("/nonexistent")));
    }

    #[test]
    fn counts_list_accepted_first() {
        let counts = count(["FAILED", "OK", "NON-STRICT", "OK", "INFORMATIONAL"].into_iter());
        assert_eq!(counts, "2 OK, 1 NON-STRICT, 1 INFORMATIONAL, 1 FAILED");
    }

    #[test]
    fn other_agents_or_no_cases_are_errors() {
        assert!(parse_index(r#"{"someone": {}}"#).is_err());
        assert!(parse_index(r#"{"craftos-http": {}}"#).is_err());
    }
}
