//! The load generator against the bare hyper server and against a raw
//! server that frames responses in other ways. Counts are checked, never
//! speed.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use craftos_http_benches::{hello_server, loadgen};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn config(port: u16, connections: usize) -> loadgen::Config {
    loadgen::Config {
        port,
        ports: 1,
        connections,
        warmup: Duration::from_millis(50),
        duration: Duration::from_millis(300),
        timeout: Duration::from_secs(5),
        rate: None,
    }
}

async fn listener() -> (TcpListener, u16) {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("bind");
    let port = listener.local_addr().expect("local addr").port();
    (listener, port)
}

#[tokio::test(flavor = "current_thread")]
async fn against_bare_hyper() {
    let (listener, port) = listener().await;
    let server = tokio::spawn(hello_server::serve(listener));
    let report = loadgen::run(&config(port, 4)).await;
    server.abort();
    assert_eq!(report.errors, 0, "{report:?}");
    assert_eq!(report.non_200, 0);
    assert!(report.requests > 0);
    assert!(report.total_requests >= report.requests);
    assert!(report.latency_us.p50 > 0.0);
    assert!(report.latency_us.p50 <= report.latency_us.p99);
}

/// Answers each request with a chunked 200; every third response on a
/// connection says `Connection: close` and closes, and every fifth
/// connection's responses are 404s delimited by the end of the connection.
async fn odd_server(listener: TcpListener) {
    let mut accepted = 0u32;
    loop {
        let (mut stream, _) = listener.accept().await.expect("accept");
        accepted += 1;
        let eof_delimited = accepted.is_multiple_of(5);
        tokio::spawn(async move {
            let mut buf = Vec::new();
            for n in 1u64.. {
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    let mut chunk = [0u8; 1024];
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => buf.extend_from_slice(&chunk[..k]),
                    }
                }
                buf.clear();
                if eof_delimited {
                    let _ = stream
                        .write_all(b"HTTP/1.1 404 Not Found\r\n\r\nnope")
                        .await;
                    return;
                }
                let close = n.is_multiple_of(3);
                let head = if close {
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                } else {
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                };
                let response = format!("{head}2\r\nhe\r\n3;ext\r\nllo\r\n0\r\n\r\n");
                if stream.write_all(response.as_bytes()).await.is_err() || close {
                    return;
                }
            }
        });
    }
}

#[tokio::test(flavor = "current_thread")]
async fn chunked_close_and_eof_delimited_responses() {
    let (listener, port) = listener().await;
    let server = tokio::spawn(odd_server(listener));
    let report = loadgen::run(&config(port, 3)).await;
    server.abort();
    assert_eq!(report.errors, 0, "{report:?}");
    assert!(report.requests > 0);
    assert!(report.non_200 > 0, "the 404s are counted: {report:?}");
    assert!(report.non_200 < report.total_requests);
}

#[tokio::test(flavor = "current_thread")]
async fn no_server_means_connect_errors_and_an_end() {
    // Bind then drop: nothing listens on the port afterwards.
    let port = listener().await.1;
    let report = loadgen::run(&config(port, 2)).await;
    assert_eq!(report.requests, 0);
    assert!(report.error_detail.connect > 0, "{report:?}");
    assert_eq!(report.errors, report.error_detail.connect);
    assert!(report.error_detail.first.is_some());
}

/// Two listeners on consecutive ports of 127.0.0.1.
async fn two_consecutive() -> (TcpListener, TcpListener, u16) {
    for _ in 0..50 {
        let (first, port) = listener().await;
        let Some(next) = port.checked_add(1) else {
            continue;
        };
        if let Ok(second) = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, next))).await {
            return (first, second, port);
        }
    }
    panic!("no two consecutive free ports");
}

/// Answers every request with a 200 "hello", counting connections.
async fn counting_server(listener: TcpListener, connections: Arc<AtomicUsize>) {
    hello_server(listener, connections, Duration::ZERO).await
}

/// Answers every request with a 200 "hello" after `delay`, counting
/// connections.
async fn hello_server(listener: TcpListener, connections: Arc<AtomicUsize>, delay: Duration) {
    loop {
        let (mut stream, _) = listener.accept().await.expect("accept");
        connections.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(async move {
            let mut buf = Vec::new();
            loop {
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    let mut chunk = [0u8; 1024];
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => buf.extend_from_slice(&chunk[..k]),
                    }
                }
                buf.clear();
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                let response = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
                if stream.write_all(response).await.is_err() {
                    return;
                }
            }
        });
    }
}

#[tokio::test(flavor = "current_thread")]
async fn connections_spread_round_robin_over_ports() {
    let (first, second, port) = two_consecutive().await;
    let counts = [Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0))];
    let servers = [
        tokio::spawn(counting_server(first, counts[0].clone())),
        tokio::spawn(counting_server(second, counts[1].clone())),
    ];
    let report = loadgen::run(&loadgen::Config {
        ports: 2,
        ..config(port, 5)
    })
    .await;
    for server in servers {
        server.abort();
    }
    assert_eq!(report.errors, 0, "{report:?}");
    assert_eq!((report.port, report.ports), (port, 2));
    assert!(report.requests > 0);
    // Connections 0, 2, 4 on the first port, 1 and 3 on the second.
    let counts = counts.map(|c| c.load(Ordering::Relaxed));
    assert_eq!(counts, [3, 2], "connections per port");
}

#[tokio::test(flavor = "current_thread")]
async fn open_loop_keeps_the_rate_and_no_faster() {
    let (listener, port) = listener().await;
    let server = tokio::spawn(hello_server::serve(listener));
    // 2000 requests per second over 4 connections for the 300 ms window.
    let report = loadgen::run(&loadgen::Config {
        rate: Some(2000.0),
        ..config(port, 4)
    })
    .await;
    server.abort();
    assert_eq!(report.errors, 0, "{report:?}");
    assert_eq!(report.rate, Some(2000.0));
    // Never more than the schedule: 350 ms of it, warm-up included.
    assert!(report.total_requests <= 700 + 4, "{report:?}");
    // A loopback hello server keeps up with 2000/s on any machine; the
    // bound is loose so that a loaded one passes too.
    assert!(report.requests >= 300, "{report:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn open_loop_latency_counts_from_the_intended_time() {
    let (listener, port) = listener().await;
    // One connection, 20 ms per answer (50/s at most), asked for 500/s:
    // the requests queue behind the slow answers and their latency grows
    // far past the 20 ms a closed loop would report.
    let server = tokio::spawn(hello_server(
        listener,
        Arc::default(),
        Duration::from_millis(20),
    ));
    let closed = loadgen::run(&config(port, 1)).await;
    let open = loadgen::run(&loadgen::Config {
        rate: Some(500.0),
        ..config(port, 1)
    })
    .await;
    server.abort();
    assert_eq!((closed.errors, open.errors), (0, 0), "{closed:?} {open:?}");
    assert!(closed.latency_us.p99 < 100_000.0, "{closed:?}");
    assert!(open.latency_us.p99 > 100_000.0, "{open:?}");
    assert!(
        open.latency_us.p50 > closed.latency_us.p50,
        "{open:?} {closed:?}"
    );
}
