//! A real HTTP client (hyper) against a script's listener (R1-R5, S3, G5).

use std::time::Duration;

use craftos_http_tests::client::{self, block_on};
use craftos_http_tests::server::Server;
use hyper::Method;

use crate::scripts::{ECHO, seen};

const LIMIT: Duration = Duration::from_secs(30);

#[test]
fn get_and_post_are_echoed() {
    let server = Server::start("client-get-post", ECHO);
    block_on(LIMIT, async {
        let http = client::legacy();
        let get = client::fetch(
            &http,
            client::request(Method::GET, &server.url("/hello?x=1&y=%20"), ""),
        )
        .await;
        assert_eq!(get.status, 200);
        assert_eq!(get.header("x-method"), Some("GET"));
        assert_eq!(get.header("x-url"), Some("/hello?x=1&y=%20"));
        assert_eq!(get.body, "");

        let post = client::fetch(
            &http,
            client::request(Method::POST, &server.url("/echo"), "hello, body\n"),
        )
        .await;
        assert_eq!(post.status, 200);
        assert_eq!(post.header("x-method"), Some("POST"));
        assert_eq!(post.body, "hello, body\n");
    });
    assert_eq!(seen(&server.stop()), ["GET /hello?x=1&y=%20", "POST /echo"]);
}

#[test]
fn one_connection_carries_several_requests() {
    let server = Server::start("client-keep-alive", ECHO);
    let port = server.port();
    block_on(LIMIT, async {
        // Every request goes over this one TCP connection: if the server
        // closed it after a response, the next send would fail.
        let mut conn = client::connect(port).await;
        for i in 0..5 {
            let (method, body) = if i % 2 == 0 {
                (Method::GET, String::new())
            } else {
                (Method::POST, format!("body {i}"))
            };
            let path = format!("/keep/{i}");
            let reply = client::send(&mut conn, client::request(method, &path, body.clone())).await;
            assert_eq!(reply.status, 200, "request {i}");
            assert_eq!(reply.header("x-url"), Some(path.as_str()));
            assert_eq!(reply.body, body.as_bytes());
            assert_ne!(
                reply.header("connection").map(str::to_ascii_lowercase),
                Some("close".into()),
                "the server asked to close after request {i}"
            );
        }
        assert!(!conn.is_closed(), "the connection was closed");
    });
    assert_eq!(seen(&server.stop()).len(), 5);
}

#[test]
fn binary_body_round_trips_every_byte_value() {
    let server = Server::start("client-binary", ECHO);
    // Every byte value, NUL and CR/LF included, twice, plus the reverse.
    let mut body: Vec<u8> = (0..=255u8).chain(0..=255u8).collect();
    body.extend((0..=255u8).rev());
    block_on(LIMIT, async {
        let reply = client::fetch(
            &client::legacy(),
            client::request(Method::POST, &server.url("/bytes"), body.clone()),
        )
        .await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body.len(), body.len());
        assert!(reply.body == body, "the body came back altered");
    });
    server.stop();
}

#[test]
fn responses_have_content_length_and_date_and_are_not_chunked() {
    let server = Server::start("client-framing", ECHO);
    block_on(LIMIT, async {
        let http = client::legacy();
        // An empty body, a small one, and one large enough to tempt a
        // server into chunking.
        for size in [0usize, 10, 200_000] {
            let body = vec![b'a'; size];
            let reply = client::fetch(
                &http,
                client::request(Method::POST, &server.url("/framing"), body),
            )
            .await;
            assert_eq!(reply.status, 200);
            assert_eq!(
                reply.header("content-length"),
                Some(size.to_string().as_str()),
                "Content-Length of a {size}-byte body"
            );
            assert_eq!(reply.body.len(), size);
            assert!(
                reply.headers.get("transfer-encoding").is_none(),
                "chunked response for {size} bytes: {:?}",
                reply.headers
            );
            let date = reply.header("date").expect("a Date header");
            assert!(date.ends_with(" GMT"), "Date is not an HTTP date: {date}");
            assert!(
                reply.headers.get("content-type").is_none(),
                "a default Content-Type was added"
            );
        }
    });
    server.stop();
}
