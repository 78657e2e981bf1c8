//! The hyper transport without Lua: a "computer" written in Rust that
//! answers every request on 127.0.0.1:8080 with "hello" for 30 seconds.
//!
//! Run: `cargo run -p craftos-http-hyper --example hello`, then
//! `curl 127.0.0.1:8080`.

use std::future::poll_fn;
use std::sync::Arc;
use std::time::Duration;

use craftos_http_core::{Computer, ComputerId, Event, EventQueue, Listeners};
use craftos_http_hyper::{HyperTransport, TransportConfig};

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let transport = HyperTransport::new(runtime.handle().clone(), TransportConfig::default());
    let queue = Arc::new(EventQueue::new(256));
    let computer = Computer::new(ComputerId(0), queue.clone());
    transport
        .add_listener(&computer, 8080)
        .expect("port 8080 is free");
    println!("serving http://127.0.0.1:8080/ for 30 s");
    runtime.block_on(async {
        let serve = async {
            while let Some(event) = poll_fn(|cx| queue.poll_pop(cx)).await {
                if let Event::HttpRequest { exchange, .. } = event {
                    exchange.write(b"hello").expect("open");
                    exchange.close().expect("open");
                }
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(30), serve).await;
    });
    transport.release(computer.id);
}
