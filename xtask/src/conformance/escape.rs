//! The escape language of case files: decoding escaped strings into bytes,
//! and showing received bytes in the same notation in failure messages.

use std::fmt::Write as _;

/// How many characters of escaped text [`show`] keeps before truncating.
pub(crate) const SHOW_LIMIT: usize = 200;

/// Decodes an escaped string from a case file into bytes.
///
/// Recognised escapes: `\r`, `\n`, `\t`, `\0`, `\\` and `\xHH` (exactly two
/// hex digits, any byte). Every other character stands for its UTF-8 bytes.
/// Any other backslash sequence is an error, so a typo in a case file is
/// reported instead of being sent as is.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            let mut utf8 = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            continue;
        }
        match chars.next().map(|(_, e)| e) {
            Some('r') => out.push(b'\r'),
            Some('n') => out.push(b'\n'),
            Some('t') => out.push(b'\t'),
            Some('0') => out.push(0),
            Some('\\') => out.push(b'\\'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).map(|(_, h)| h).collect();
                match u8::from_str_radix(&hex, 16) {
                    Ok(byte) if hex.len() == 2 && hex.chars().all(|h| h.is_ascii_hexdigit()) => {
                        out.push(byte);
                    }
                    _ => {
                        return Err(format!(
                            "`\\x` at character {at} must be followed by two hex digits, found `{hex}`"
                        ));
                    }
                }
            }
            Some(other) => {
                return Err(format!(
                    "unknown escape `\\{other}` at character {at} \
                     (known: \\r \\n \\t \\0 \\\\ \\xHH)"
                ));
            }
            None => return Err("dangling `\\` at the end of the string".to_owned()),
        }
    }
    Ok(out)
}

/// Shows bytes in the case-file escape language, quoted with `'`, truncated
/// to about [`SHOW_LIMIT`] characters (the total length is then appended).
pub(crate) fn show(bytes: &[u8]) -> String {
    show_limited(bytes, SHOW_LIMIT)
}

/// [`show`] with an explicit character limit.
pub(crate) fn show_limited(bytes: &[u8], limit: usize) -> String {
    let mut out = String::from("'");
    for (shown, &byte) in bytes.iter().enumerate() {
        if out.len() > limit {
            let _ = write!(out, "'... ({} bytes in all, {shown} shown)", bytes.len());
            return out;
        }
        push_escaped(&mut out, byte);
    }
    out.push('\'');
    out
}

/// Appends one byte to `out`, escaped when it is not printable ASCII.
fn push_escaped(out: &mut String, byte: u8) {
    match byte {
        b'\r' => out.push_str("\\r"),
        b'\n' => out.push_str("\\n"),
        b'\t' => out.push_str("\\t"),
        0 => out.push_str("\\0"),
        b'\\' => out.push_str("\\\\"),
        b' '..=b'~' => out.push(char::from(byte)),
        _ => {
            let _ = write!(out, "\\x{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_escape() {
        assert_eq!(
            decode(r"a\r\n\t\0\\\x00\xff\x7Fz").unwrap(),
            b"a\r\n\t\0\\\x00\xff\x7fz".to_vec()
        );
    }

    #[test]
    fn keeps_plain_text_and_utf8() {
        assert_eq!(decode("GET / é{i}").unwrap(), "GET / é{i}".as_bytes());
        assert_eq!(decode("").unwrap(), b"");
    }

    #[test]
    fn rejects_unknown_escapes() {
        let err = decode(r"ab\q").unwrap_err();
        assert!(err.contains(r"`\q`"), "{err}");
        assert!(decode(r"\a").is_err());
        assert!(decode(r"\'").is_err());
    }

    #[test]
    fn rejects_bad_hex_and_dangling_backslash() {
        assert!(decode(r"\x1").is_err());
        assert!(decode(r"\xg0").is_err());
        assert!(decode(r"\x+1").is_err());
        assert!(decode(r"\x").is_err());
        assert!(decode("abc\\").is_err());
    }

    #[test]
    fn show_round_trips_through_decode() {
        let bytes: Vec<u8> = (0..=255).collect();
        let shown = show_limited(&bytes, usize::MAX);
        let inner = &shown[1..shown.len() - 1];
        assert_eq!(decode(inner).unwrap(), bytes);
    }

    #[test]
    fn show_escapes_and_truncates() {
        assert_eq!(show(b"ok\r\n\x01"), r"'ok\r\n\x01'");
        let long = vec![b'a'; 1000];
        let shown = show(&long);
        assert!(shown.len() < SHOW_LIMIT + 50, "{shown}");
        assert!(shown.ends_with("(1000 bytes in all, 200 shown)"), "{shown}");
    }
}
