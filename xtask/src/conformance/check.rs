//! Comparing what was received with what a case expects, producing
//! one-line messages that show both.

use super::case::Expectation;
use super::client::Response;
use super::escape::show;

/// Bytes of common prefix shown before the first difference of two bodies.
const CONTEXT: usize = 20;

/// Checks `response` against `expect`; the error names the first mismatch.
pub(crate) fn response(response: &Response, expect: &Expectation) -> Result<(), String> {
    if let Some(status) = expect.status
        && status != response.status
    {
        return Err(format!(
            "status: expected {status}, received {} {} (body {})",
            response.status,
            show(response.reason.as_bytes()),
            show(&response.body)
        ));
    }
    if let Some(reason) = &expect.reason
        && *reason != response.reason
    {
        return Err(format!(
            "reason: expected {}, received {}",
            show(reason.as_bytes()),
            show(response.reason.as_bytes())
        ));
    }
    for (name, value) in &expect.headers {
        match response.header(name) {
            Some(got) if got == *value => {}
            Some(got) => {
                return Err(format!(
                    "header {name}: expected {}, received {}",
                    show(value),
                    show(&got)
                ));
            }
            None => {
                return Err(format!(
                    "header {name}: expected {}, received no such header (headers: {})",
                    show(value),
                    header_names(response)
                ));
            }
        }
    }
    for name in &expect.headers_absent {
        if let Some(got) = response.header(name) {
            return Err(format!(
                "header {name}: expected absent, received {}",
                show(&got)
            ));
        }
    }
    if let Some(body) = &expect.body {
        bytes("body", body, &response.body)?;
    }
    contains("body", &expect.body_contains, &response.body)
}

/// Checks that `got` equals `expected`; on a difference the message shows
/// both from a little before the first differing byte.
pub(crate) fn bytes(what: &str, expected: &[u8], got: &[u8]) -> Result<(), String> {
    if expected == got {
        return Ok(());
    }
    let first_difference = expected
        .iter()
        .zip(got)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(got.len()));
    let from = first_difference.saturating_sub(CONTEXT);
    let (prefix, at) = if from == 0 {
        (String::new(), String::new())
    } else {
        ("...".to_owned(), format!(", shown from byte {from}"))
    };
    Err(format!(
        "{what}: expected {prefix}{} ({} bytes), received {prefix}{} ({} bytes); \
         first difference at byte {first_difference}{at}",
        show(&expected[from..]),
        expected.len(),
        show(&got[from..]),
        got.len(),
    ))
}

/// Checks that `got` contains each of `needles`.
pub(crate) fn contains(what: &str, needles: &[Vec<u8>], got: &[u8]) -> Result<(), String> {
    match needles.iter().find(|needle| !includes(got, needle)) {
        None => Ok(()),
        Some(needle) => Err(format!(
            "{what}: expected to contain {}, received {}",
            show(needle),
            show(got)
        )),
    }
}

/// Whether `needle` occurs in `haystack`.
fn includes(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// The names of the response's headers, for a "missing header" message.
fn header_names(response: &Response) -> String {
    let names: Vec<&str> = response.headers.iter().map(|(n, _)| n.as_str()).collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Response {
        Response {
            version: 1,
            status: 200,
            reason: "OK".to_owned(),
            headers: vec![
                ("X-Test".to_owned(), b"a".to_vec()),
                ("Content-Length".to_owned(), b"2".to_vec()),
                ("x-test".to_owned(), b"b".to_vec()),
            ],
            body: b"ok".to_vec(),
        }
    }

    #[test]
    fn matching_response_passes() {
        let expect = Expectation {
            status: Some(200),
            reason: Some("OK".to_owned()),
            headers: vec![
                ("x-TEST".to_owned(), b"a, b".to_vec()),
                ("content-length".to_owned(), b"2".to_vec()),
            ],
            headers_absent: vec!["Transfer-Encoding".to_owned()],
            body: Some(b"ok".to_vec()),
            body_contains: vec![b"k".to_vec(), Vec::new()],
            head: false,
        };
        assert_eq!(response(&sample(), &expect), Ok(()));
    }

    fn failure(expect: Expectation) -> String {
        response(&sample(), &expect).unwrap_err()
    }

    #[test]
    fn mismatches_show_expected_and_received() {
        let err = failure(Expectation {
            status: Some(404),
            ..Expectation::default()
        });
        assert_eq!(err, "status: expected 404, received 200 'OK' (body 'ok')");
        let err = failure(Expectation {
            headers: vec![("X-Test".to_owned(), b"a".to_vec())],
            ..Expectation::default()
        });
        assert_eq!(err, "header X-Test: expected 'a', received 'a, b'");
        let err = failure(Expectation {
            headers: vec![("Date".to_owned(), b"x".to_vec())],
            ..Expectation::default()
        });
        assert!(err.contains("no such header"), "{err}");
        let err = failure(Expectation {
            headers_absent: vec!["content-length".to_owned()],
            ..Expectation::default()
        });
        assert_eq!(err, "header content-length: expected absent, received '2'");
        let err = failure(Expectation {
            body: Some(b"ok\n".to_vec()),
            ..Expectation::default()
        });
        assert!(
            err.starts_with(r"body: expected 'ok\n' (3 bytes), received 'ok'"),
            "{err}"
        );
        let err = failure(Expectation {
            body_contains: vec![b"\xff".to_vec()],
            ..Expectation::default()
        });
        assert_eq!(err, r"body: expected to contain '\xFF', received 'ok'");
        let err = failure(Expectation {
            reason: Some("Okay".to_owned()),
            ..Expectation::default()
        });
        assert_eq!(err, "reason: expected 'Okay', received 'OK'");
    }

    #[test]
    fn long_bodies_are_shown_near_the_difference() {
        let expected = [vec![b'a'; 1000], b"XYZ".to_vec()].concat();
        let got = [vec![b'a'; 1000], b"XYW".to_vec()].concat();
        let err = bytes("body", &expected, &got).unwrap_err();
        assert!(err.contains("first difference at byte 1002"), "{err}");
        assert!(err.contains("XYZ'") && err.contains("XYW'"), "{err}");
        assert!(err.len() < 200, "{err}");
    }
}
