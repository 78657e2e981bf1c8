//! Header names and values: validation and casing.

/// Whether `b` may appear in a header name (an RFC 9110 `tchar`).
fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' |
        b'^' | b'_' | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// Whether `name` is a legal header name: a non-empty token.
pub fn is_valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| is_tchar(b))
}

/// Whether `value` is a legal header value: visible bytes, spaces, tabs and
/// obs-text (0x80-0xFF); no CR, LF, NUL, other controls or DEL.
pub fn is_valid_value(value: &[u8]) -> bool {
    value
        .iter()
        .all(|&b| b == b'\t' || (b' '..=b'~').contains(&b) || b >= 0x80)
}

/// ASCII case-insensitive comparison of two header names.
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// `content-type` -> `Content-Type`: the casing most clients send, for
/// transports that only see lowercased names.
pub fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if upper {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c.to_ascii_lowercase());
        }
        upper = c == '-';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_valid_name(b"X-Custom_1"));
        assert!(!is_valid_name(b""));
        assert!(!is_valid_name(b"Bad Name"));
        assert!(!is_valid_name(b"Bad:Name"));
        assert!(!is_valid_name(b"a\r\nb"));
    }

    #[test]
    fn values() {
        assert!(is_valid_value(b"text/html; charset=utf-8"));
        assert!(is_valid_value(b"\xff\x80 tab\there"));
        assert!(is_valid_value(b""));
        assert!(!is_valid_value(b"a\r\nSet-Cookie: x"));
        assert!(!is_valid_value(b"a\0b"));
        assert!(!is_valid_value(b"\x7f"));
    }

    #[test]
    fn casing() {
        assert_eq!(title_case("content-type"), "Content-Type");
        assert_eq!(title_case("x-api-key"), "X-Api-Key");
        assert_eq!(title_case("HOST"), "Host");
    }
}
