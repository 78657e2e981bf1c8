//! The body limit (R2): bodies over `max_body` get 413 and no event, with
//! `Content-Length` or chunked; a body of exactly the limit is delivered;
//! the server keeps serving.

use craftos_http_tests::raw::{self, Reply};
use craftos_http_tests::server::{Options, Server};

use crate::scripts::{ECHO, seen};

const MAX: usize = 1024;

/// A chunked POST to `path` of `chunks`.
fn chunked(path: &str, chunks: &[&[u8]]) -> Vec<u8> {
    let mut bytes =
        format!("POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            .into_bytes();
    for chunk in chunks {
        bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        bytes.extend_from_slice(chunk);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"0\r\n\r\n");
    bytes
}

fn assert_too_large(what: &str, reply: Reply) {
    let response = reply.expect_response();
    assert_eq!(response.status, 413, "{what}: {response:?}");
    assert_eq!(response.reason, "Content Too Large", "{what}");
}

#[test]
fn bodies_over_the_limit_get_413_and_no_event() {
    let server = Server::start_with(
        "body-limit",
        ECHO,
        &Options {
            max_body: MAX,
            ..Options::default()
        },
    );
    let port = server.port();
    let block: Vec<u8> = (0..MAX).map(|i| (i % 251) as u8).collect();

    // Content-Length over the limit, by a lot and by one byte.
    let big = [block.as_slice(), block.as_slice()].concat();
    let mut request = format!(
        "POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        big.len()
    )
    .into_bytes();
    request.extend_from_slice(&big);
    assert_too_large(
        "2048 bytes",
        raw::exchange(port, &request).expect("a reply"),
    );
    let mut request = format!(
        "POST /one-over HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        MAX + 1
    )
    .into_bytes();
    request.extend_from_slice(&block);
    request.push(b'!');
    assert_too_large(
        "1025 bytes",
        raw::exchange(port, &request).expect("a reply"),
    );

    // Exactly the limit is delivered, byte for byte.
    let exact = raw::request(port, "POST", "/exact", &block);
    assert_eq!(exact.status, 200);
    assert!(exact.body == block, "the 1024-byte body came back altered");

    // Chunked: over the limit, then exactly the limit in four chunks.
    let reply = raw::exchange(port, &chunked("/chunked-big", &[&block, &block])).expect("a reply");
    assert_too_large("2048 bytes chunked", reply);
    let quarters: Vec<&[u8]> = block.chunks(MAX / 4).collect();
    let reply = raw::exchange(port, &chunked("/chunked-ok", &quarters)).expect("a reply");
    let response = reply.expect_response();
    assert_eq!(response.status, 200);
    assert!(
        response.body == block,
        "the chunked body was not de-chunked exactly"
    );

    let after = raw::get(port, "/after");
    assert_eq!(after.status, 200);
    assert_eq!(
        seen(&server.stop()),
        ["POST /exact", "POST /chunked-ok", "GET /after"],
        "the script got an event for a body over the limit"
    );
}
