//! A finished response, and the errors of the response handle's mutators.

use bytes::Bytes;
use thiserror::Error;

/// A response ready for the transport to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// Status code, 100-999.
    pub status: u16,
    /// The reason phrase the script gave, if any; otherwise the transport
    /// sends the standard one ([`crate::status::reason_phrase`]).
    pub reason: Option<Bytes>,
    /// Headers set by the script, validated, in the order set; a name may
    /// repeat (a table of values, S5).
    pub headers: Vec<(String, Bytes)>,
    /// The body (sent with `Content-Length`; omitted for HEAD/1xx/204/304).
    pub body: Bytes,
}

impl Response {
    /// An empty response with `status`.
    pub fn with_status(status: u16) -> Self {
        Response {
            status,
            reason: None,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// The response as it can end an exchange: a 1xx status is only ever
    /// an interim answer in HTTP/1.1 (`101` would even switch the
    /// connection's protocol), so a script's 1xx becomes an empty `500`
    /// with no headers, as hyper answers the other 1xx codes. Transports
    /// apply it to what they send.
    pub fn into_final(self) -> Response {
        if (100..200).contains(&self.status) {
            Response::with_status(500)
        } else {
            self
        }
    }
}

/// Why a response-handle call was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum ResponseError {
    /// The response was already sent (S6, R8, G4).
    #[error("attempt to use a closed file")]
    Closed,
    /// `setStatusCode` outside 100-999 (S4).
    #[error("status code out of range")]
    StatusOutOfRange,
    /// A reason phrase with CR, LF or other control bytes.
    #[error("invalid reason phrase")]
    InvalidReason,
    /// `setResponseHeader` with a name that is not a token (S5).
    #[error("invalid header name")]
    InvalidHeaderName,
    /// `setResponseHeader` with a value holding CR, LF, NUL or controls (S5).
    #[error("invalid header value")]
    InvalidHeaderValue,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_1xx_status_cannot_end_an_exchange() {
        for code in [100, 101, 103, 199] {
            let mut r = Response::with_status(code);
            r.body = Bytes::from_static(b"x");
            r.headers.push(("A".into(), Bytes::from_static(b"1")));
            assert_eq!(r.into_final(), Response::with_status(500), "{code}");
        }
        let r = Response::with_status(200);
        assert_eq!(r.clone().into_final(), r);
    }
}
