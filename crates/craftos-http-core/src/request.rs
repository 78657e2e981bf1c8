//! The request data a transport hands to a computer.

use bytes::Bytes;

use crate::header::eq_ignore_case;

/// One HTTP request, read in full by the transport (R2).
#[derive(Clone, Debug, Default)]
pub struct Request {
    method: String,
    target: Bytes,
    headers: Vec<(String, Bytes)>,
    body: Bytes,
}

impl Request {
    /// A request with its method token, raw request-target (path and query as
    /// sent, not decoded), headers in arrival order and body.
    pub fn new(
        method: impl Into<String>,
        target: impl Into<Bytes>,
        headers: Vec<(String, Bytes)>,
        body: impl Into<Bytes>,
    ) -> Self {
        Request {
            method: method.into(),
            target: target.into(),
            headers,
            body: body.into(),
        }
    }

    /// The method token as sent (`request.getMethod()`).
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The raw request-target as sent (`request.getURL()`).
    pub fn target(&self) -> &Bytes {
        &self.target
    }

    /// The headers in arrival order, one entry per header line.
    pub fn headers(&self) -> &[(String, Bytes)] {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The headers as `request.getRequestHeaders()` shows them (R4): one
    /// entry per name, compared case-insensitively, named as first seen and
    /// in first-seen order, repeated values joined with `", "`.
    pub fn joined_headers(&self) -> Vec<(&str, Bytes)> {
        let mut out: Vec<(&str, Bytes)> = Vec::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            match out.iter_mut().find(|(n, _)| eq_ignore_case(n, name)) {
                Some((_, joined)) => {
                    let mut v = Vec::with_capacity(joined.len() + 2 + value.len());
                    v.extend_from_slice(joined);
                    v.extend_from_slice(b", ");
                    v.extend_from_slice(value);
                    *joined = Bytes::from(v);
                }
                None => out.push((name.as_str(), value.clone())),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_headers_are_joined_case_insensitively() {
        let r = Request::new(
            "GET",
            "/",
            vec![
                ("Accept".into(), Bytes::from_static(b"a")),
                ("X-Y".into(), Bytes::from_static(b"1")),
                ("accept".into(), Bytes::from_static(b"b")),
            ],
            Vec::new(),
        );
        let h = r.joined_headers();
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].0, "Accept");
        assert_eq!(&h[0].1[..], b"a, b");
        assert_eq!(h[1].0, "X-Y");
    }
}
