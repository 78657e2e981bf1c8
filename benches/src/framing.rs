//! Where one HTTP/1.1 response ends in a byte buffer: the status line and
//! headers (parsed with `httparse`), then a body delimited by
//! `Content-Length`, by `Transfer-Encoding: chunked`, or by the end of the
//! connection.

/// How many headers a response may carry.
const MAX_HEADERS: usize = 32;

/// One response head and the extent of its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    /// The status code.
    pub status: u16,
    /// Where the body ends: the response is `buf[..end]`, or, when
    /// `until_eof` is set, everything up to the end of the connection.
    pub end: usize,
    /// The body has neither a length nor chunks: it lasts until the server
    /// closes the connection.
    pub until_eof: bool,
    /// The connection cannot carry another request after this response
    /// (`Connection: close`, HTTP/1.0 without keep-alive, or `until_eof`).
    pub close: bool,
}

/// A response that is not HTTP/1.x as the load generator understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError(pub String);

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad response: {}", self.0)
    }
}

impl std::error::Error for FrameError {}

fn bad(what: impl Into<String>) -> FrameError {
    FrameError(what.into())
}

/// Finds the first complete response at the start of `buf`.
///
/// Returns `Ok(None)` while more bytes are needed. Interim `1xx` responses
/// are skipped: the frame returned is the final response, and its `end`
/// counts from the start of `buf`.
pub fn parse_response(buf: &[u8]) -> Result<Option<Frame>, FrameError> {
    let mut start = 0;
    loop {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut headers);
        let head_len = match response.parse(&buf[start..]) {
            Ok(httparse::Status::Complete(n)) => start + n,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(err) => return Err(bad(err.to_string())),
        };
        let status = response.code.ok_or_else(|| bad("no status"))?;
        if (100..200).contains(&status) && status != 101 {
            start = head_len;
            continue;
        }
        let head = Head::from_headers(response.headers, response.version == Some(0))?;
        // No body: HEAD is never sent; 204 and 304 have none by definition.
        if status == 204 || status == 304 {
            return Ok(Some(Frame {
                status,
                end: head_len,
                until_eof: false,
                close: head.close,
            }));
        }
        let frame = if head.chunked {
            chunked_end(buf, head_len)?.map(|end| Frame {
                status,
                end,
                until_eof: false,
                close: head.close,
            })
        } else if let Some(len) = head.content_length {
            let end = head_len
                .checked_add(len)
                .ok_or_else(|| bad("Content-Length overflows"))?;
            (buf.len() >= end).then_some(Frame {
                status,
                end,
                until_eof: false,
                close: head.close,
            })
        } else {
            Some(Frame {
                status,
                end: head_len,
                until_eof: true,
                close: true,
            })
        };
        return Ok(frame);
    }
}

/// What the headers say about the body and the connection.
struct Head {
    content_length: Option<usize>,
    chunked: bool,
    close: bool,
}

impl Head {
    fn from_headers(headers: &[httparse::Header<'_>], http10: bool) -> Result<Self, FrameError> {
        let mut head = Head {
            content_length: None,
            chunked: false,
            close: http10,
        };
        for header in headers {
            let value = std::str::from_utf8(header.value)
                .map_err(|_| bad("header value is not UTF-8"))?
                .trim();
            if header.name.eq_ignore_ascii_case("content-length") {
                let len = value
                    .parse()
                    .map_err(|_| bad(format!("Content-Length {value:?}")))?;
                head.content_length = Some(len);
            } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
                head.chunked = value
                    .rsplit(',')
                    .next()
                    .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
            } else if header.name.eq_ignore_ascii_case("connection") {
                for token in value.split(',').map(str::trim) {
                    if token.eq_ignore_ascii_case("close") {
                        head.close = true;
                    } else if token.eq_ignore_ascii_case("keep-alive") && http10 {
                        head.close = false;
                    }
                }
            }
        }
        Ok(head)
    }
}

/// The end of a chunked body that starts at `pos`, trailers included, or
/// `None` while incomplete.
fn chunked_end(buf: &[u8], mut pos: usize) -> Result<Option<usize>, FrameError> {
    loop {
        let Some(line_end) = find_crlf(buf, pos) else {
            return Ok(None);
        };
        let line = &buf[pos..line_end];
        let size_text = line.split(|&b| b == b';').next().unwrap_or_default();
        let size_text = std::str::from_utf8(size_text)
            .map_err(|_| bad("chunk size is not ASCII"))?
            .trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| bad(format!("chunk size {size_text:?}")))?;
        pos = line_end + 2;
        if size == 0 {
            // Trailers, then an empty line.
            loop {
                let Some(line_end) = find_crlf(buf, pos) else {
                    return Ok(None);
                };
                let empty = line_end == pos;
                pos = line_end + 2;
                if empty {
                    return Ok(Some(pos));
                }
            }
        }
        let data_end = pos
            .checked_add(size)
            .ok_or_else(|| bad("chunk size overflows"))?;
        if buf.len() < data_end + 2 {
            return Ok(None);
        }
        if &buf[data_end..data_end + 2] != b"\r\n" {
            return Err(bad("chunk not followed by CRLF"));
        }
        pos = data_end + 2;
    }
}

/// The index of the next `\r\n` at or after `from`.
fn find_crlf(buf: &[u8], from: usize) -> Option<usize> {
    buf.get(from..)?
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(text: &str) -> Option<Frame> {
        parse_response(text.as_bytes()).expect("parses")
    }

    #[test]
    fn content_length_body() {
        let text = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello";
        let f = frame(text).expect("complete");
        assert_eq!(f.status, 200);
        assert_eq!(f.end, text.len());
        assert!(!f.close && !f.until_eof);
        // One byte short: incomplete.
        assert_eq!(frame(&text[..text.len() - 1]), None);
        // Head only: incomplete.
        assert_eq!(frame("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n"), None);
    }

    #[test]
    fn extra_bytes_after_the_response_are_not_consumed() {
        let text = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\nHTTP/1.1";
        let f = frame(text).expect("complete");
        assert_eq!(f.status, 404);
        assert_eq!(f.end, text.len() - "HTTP/1.1".len());
    }

    #[test]
    fn chunked_body_with_extension_and_trailer() {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                    3;x=y\r\nhel\r\n2\r\nlo\r\n0\r\nX-Trailer: 1\r\n\r\n";
        let f = frame(text).expect("complete");
        assert_eq!(f.end, text.len());
        for cut in 1..text.len() - 40 {
            assert_eq!(frame(&text[..text.len() - cut]), None, "cut {cut}");
        }
    }

    #[test]
    fn connection_close_and_http10() {
        let f = frame("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").unwrap();
        assert!(f.close);
        let f = frame("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").unwrap();
        assert!(f.close);
        let f = frame("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")
            .unwrap();
        assert!(!f.close);
    }

    #[test]
    fn body_until_eof() {
        let f = frame("HTTP/1.1 200 OK\r\n\r\nhel").unwrap();
        assert!(f.until_eof && f.close);
    }

    #[test]
    fn interim_responses_are_skipped() {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        let f = frame(text).unwrap();
        assert_eq!((f.status, f.end), (200, text.len()));
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(parse_response(b"hello world\r\n\r\n").is_err());
        assert!(
            parse_response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").is_err()
        );
    }
}
