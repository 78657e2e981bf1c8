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
