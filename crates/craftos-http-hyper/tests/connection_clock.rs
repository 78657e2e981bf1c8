//! The connection's clock over a real socket on 127.0.0.1, with tokio's
//! clock paused (it jumps to the next timer whenever every task waits), so
//! 30-second limits take no time.

use std::sync::Arc;
use std::time::Duration;

use craftos_http_core::{Computer, ComputerId, Event, EventQueue, Listeners};
use craftos_http_hyper::{HyperTransport, TransportConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// A transport with one computer listening on a free port, its queue.
fn serve() -> (HyperTransport, Arc<EventQueue>, u16) {
    let transport = HyperTransport::new(
        tokio::runtime::Handle::current(),
        TransportConfig::default(),
    );
    let queue = Arc::new(EventQueue::new(16));
    let computer = Computer::new(ComputerId(0), queue.clone());
    for _ in 0..32 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        if transport.add_listener(&computer, port).is_ok() {
            return (transport, queue, port);
        }
    }
    panic!("no port could be listened on");
}

/// Read until the peer closes; what came.
async fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_head_not_finished_in_30_s_closes_the_connection() {
    let (_transport, _queue, port) = serve();
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let start = Instant::now();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let answer = tokio::time::timeout(Duration::from_secs(120), read_to_close(&mut stream))
        .await
        .expect("the connection was closed");
    assert!(answer.is_empty(), "nothing is answered: {answer:?}");
    let waited = start.elapsed();
    assert!(
        (Duration::from_secs(30)..Duration::from_secs(31)).contains(&waited),
        "closed after {waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn deadlines_and_the_idle_limit_count_from_each_request() {
    let timeout = craftos_http_core::Limits::default().response_timeout;
    let (_transport, queue, port) = serve();
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    // The script answers the first request at once; of the second it
    // writes a part and never closes: the response deadline sends it as
    // it stands.
    let script = tokio::spawn({
        let queue = queue.clone();
        async move {
            let mut exchanges = Vec::new();
            for i in 0..2 {
                let event = std::future::poll_fn(|cx| queue.poll_pop(cx)).await;
                let Some(Event::HttpRequest { exchange, .. }) = event else {
                    panic!("not a request: {event:?}");
                };
                exchange.write(b"partial").expect("write");
                if i == 0 {
                    exchange.close().expect("close");
                }
                exchanges.push(exchange);
            }
            exchanges
        }
    });
    let mut buf = vec![0u8; 4096];
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let n = stream.read(&mut buf).await.expect("read");
    assert!(buf[..n].ends_with(b"\r\n\r\npartial"));
    // Within the first request's deadline, a second one: its own deadline
    // counts, not the first's.
    tokio::time::sleep(timeout / 2).await;
    let start = Instant::now();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let n = tokio::time::timeout(Duration::from_secs(120), stream.read(&mut buf))
        .await
        .expect("an answer")
        .expect("read");
    let answer = String::from_utf8_lossy(&buf[..n]).into_owned();
    let answered = start.elapsed();
    let _exchanges = script.await.expect("the script");
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.ends_with("\r\n\r\npartial"), "{answer}");
    assert!(
        (timeout..timeout + Duration::from_secs(1)).contains(&answered),
        "answered after {answered:?}, the deadline being {timeout:?}"
    );
    // Longer than the idle limit since the connection opened, but only
    // now idle: it stays open 30 s more, then closes.
    let idle = Instant::now();
    let rest = tokio::time::timeout(Duration::from_secs(120), read_to_close(&mut stream))
        .await
        .expect("closed");
    assert!(rest.is_empty());
    let waited = idle.elapsed();
    assert!(
        (Duration::from_secs(29)..Duration::from_secs(31)).contains(&waited),
        "closed after {waited:?} idle"
    );
}
