//! hyper <-> core conversions.

use bytes::Bytes;
use craftos_http_core::{Response, header, status};
use http_body_util::Full;
use hyper::ext::ReasonPhrase;
use hyper::header::{CONTENT_LENGTH, HeaderName, HeaderValue, RETRY_AFTER, TRANSFER_ENCODING};
use hyper::http::request::Parts;
use hyper::{HeaderMap, StatusCode};

/// The body type of every response.
pub(crate) type Body = Full<Bytes>;

/// The request-target as sent (R3), as far as hyper keeps it: origin-form
/// and asterisk-form whole; absolute-form as scheme (lowercased by the
/// parser), `://`, the authority as sent, then path and query as sent
/// (`http://a?q` stays so) — except an empty path, which the parser turns
/// into `/` (the service asks `target.rs` for those bytes first);
/// authority-form (CONNECT) as sent.
pub(crate) fn target(parts: &Parts) -> Bytes {
    let uri = &parts.uri;
    match (uri.scheme_str(), uri.authority(), uri.path_and_query()) {
        (None, _, Some(pq)) => Bytes::copy_from_slice(pq.as_str().as_bytes()),
        (Some(scheme), Some(authority), pq) => {
            let pq = pq.map_or("", |pq| pq.as_str());
            Bytes::from([scheme, "://", authority.as_str(), pq].concat())
        }
        _ => Bytes::from(uri.to_string()),
    }
}

/// The headers in arrival order. hyper keeps no original casing, so names are
/// given the casing most clients send (`Content-Type`).
pub(crate) fn headers(map: &HeaderMap) -> Vec<(String, Bytes)> {
    map.iter()
        .map(|(name, value)| {
            (
                header::title_case(name.as_str()),
                Bytes::copy_from_slice(value.as_bytes()),
            )
        })
        .collect()
}

/// The declared body length, if any.
pub(crate) fn content_length(map: &HeaderMap) -> Option<u64> {
    map.get(CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

/// A core response as a hyper response. `head` keeps a script-set
/// `Content-Length` (HEAD answers describe the GET they stand for).
pub(crate) fn response(r: Response, head: bool) -> hyper::Response<Body> {
    // A 1xx cannot be the final answer (a bare `101` would switch protocols).
    let r = r.into_final();
    let mut out = hyper::Response::new(Full::new(r.body));
    let code = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    *out.status_mut() = code;
    // The standard phrases are IANA's (S4); hyper's differ for a few codes
    // (413, 203, 422) and it writes `<none>` for codes it does not know.
    let reason = match r.reason {
        Some(reason) => ReasonPhrase::try_from(reason).ok(),
        None => match status::reason_phrase(r.status) {
            Some(p) if Some(p) == code.canonical_reason() => None,
            Some(p) => Some(ReasonPhrase::from_static(p.as_bytes())),
            None => Some(ReasonPhrase::from_static(b"")),
        },
    };
    if let Some(reason) = reason {
        out.extensions_mut().insert(reason);
    }
    let map = out.headers_mut();
    for (name, value) in r.headers {
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
            continue;
        };
        // Framing is ours: the body is sent whole with its length (S3).
        if name == TRANSFER_ENCODING || (name == CONTENT_LENGTH && !head) {
            continue;
        }
        match HeaderValue::from_maybe_shared(value) {
            Ok(value) => {
                map.append(name, value);
            }
            Err(_) => tracing::warn!(%name, "dropped an invalid header value"),
        }
    }
    out
}

/// A response with `code` and no body, written by the transport itself.
pub(crate) fn plain(code: StatusCode) -> hyper::Response<Body> {
    let mut out = hyper::Response::new(Full::new(Bytes::new()));
    *out.status_mut() = code;
    out
}

/// `503 Service Unavailable` with `Retry-After` (E2).
pub(crate) fn busy() -> hyper::Response<Body> {
    let mut out = plain(StatusCode::SERVICE_UNAVAILABLE);
    out.headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static("1"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target_of(raw: &str) -> String {
        let req = hyper::Request::builder()
            .uri(raw)
            .body(())
            .expect("a valid target");
        let (parts, ()) = req.into_parts();
        String::from_utf8(target(&parts).to_vec()).expect("ASCII")
    }

    #[test]
    fn targets_come_back_as_sent() {
        for raw in [
            "/",
            "/a%20b?q=1",
            "*",
            "http://Example.COM/",
            "http://Example.COM?q=1",
            "http://user@Example.COM:8080/p?q",
            "https://h/x",
            "Example.COM:443",
        ] {
            assert_eq!(target_of(raw), raw);
        }
    }
}
