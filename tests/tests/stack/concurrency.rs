//! Many concurrent clients (E1, H5, G6): 200 requests over 50 connections,
//! each with its own path and body; none lost, none mixed up. Once with the
//! sockets served on the script's thread, once on two I/O threads.

use std::collections::BTreeSet;
use std::time::Duration;

use craftos_http_tests::client::{self, block_on};
use craftos_http_tests::server::{Options, Server};
use hyper::Method;
use tokio::task::JoinSet;

use crate::scripts::{ECHO, seen};

const CONNECTIONS: usize = 50;
const PER_CONNECTION: usize = 4;

fn many_clients(name: &str, io_threads: usize) {
    let server = Server::start_with(
        name,
        ECHO,
        &Options {
            io_threads,
            ..Options::default()
        },
    );
    let port = server.port();
    let answered = block_on(Duration::from_secs(60), async move {
        let mut tasks = JoinSet::new();
        for c in 0..CONNECTIONS {
            tasks.spawn(async move {
                let mut conn = client::connect(port).await;
                let mut paths = Vec::new();
                for r in 0..PER_CONNECTION {
                    let path = format!("/conn{c}/req{r}");
                    let body = format!("body of {path}");
                    let request = client::request(Method::POST, &path, body.clone());
                    let reply = client::send(&mut conn, request).await;
                    assert_eq!(reply.status, 200, "{path}");
                    assert_eq!(reply.header("x-url"), Some(path.as_str()), "{path}");
                    assert_eq!(reply.body, body.as_bytes(), "{path}");
                    paths.push(path);
                }
                paths
            });
        }
        let mut answered = BTreeSet::new();
        while let Some(result) = tasks.join_next().await {
            answered.extend(result.expect("a client task panicked"));
        }
        answered
    });
    let expected: BTreeSet<String> = (0..CONNECTIONS)
        .flat_map(|c| (0..PER_CONNECTION).map(move |r| format!("/conn{c}/req{r}")))
        .collect();
    assert_eq!(answered, expected);

    let seen = seen(&server.stop());
    assert_eq!(
        seen.len(),
        CONNECTIONS * PER_CONNECTION,
        "events lost or doubled"
    );
    let seen: BTreeSet<String> = seen
        .iter()
        .map(|l| l.strip_prefix("POST ").expect("a POST").to_owned())
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn concurrent_clients_on_the_script_thread() {
    many_clients("concurrent-io0", 0);
}

#[test]
fn concurrent_clients_on_io_threads() {
    many_clients("concurrent-io2", 2);
}
