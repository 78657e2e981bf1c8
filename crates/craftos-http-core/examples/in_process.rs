//! The core without any transport: a "transport" that injects requests
//! in-process and a "computer" that answers them, both on plain threads.
//!
//! Run: `cargo run -p craftos-http-core --example in_process`

use std::sync::Arc;
use std::thread;

use craftos_http_core::{Event, EventQueue, EventSink, Exchange, Request};

fn main() {
    let queue = Arc::new(EventQueue::new(16));

    // The computer: answer each request with its URL reversed.
    let computer = {
        let queue = queue.clone();
        thread::spawn(move || {
            let mut answered = 0;
            while answered < 3 {
                match queue.pop() {
                    Some(Event::HttpRequest { exchange, .. }) => {
                        let url = exchange.request().target().clone();
                        let reversed: Vec<u8> = url.iter().rev().copied().collect();
                        exchange.write(&reversed).unwrap();
                        exchange.close().unwrap();
                        answered += 1;
                    }
                    Some(_) => {}
                    None => thread::yield_now(),
                }
            }
        })
    };

    // The transport: three requests, then wait for each response.
    let sink: Arc<dyn EventSink> = queue;
    let exchanges: Vec<Arc<Exchange>> = ["/one", "/two", "/three"]
        .into_iter()
        .map(|url| {
            let exchange = Arc::new(Exchange::new(Request::new("GET", url, vec![], Vec::new())));
            sink.try_send(Event::http_request(80, exchange.clone()))
                .expect("queue has room");
            exchange
        })
        .collect();
    computer.join().unwrap();
    for exchange in exchanges {
        let response = exchange.try_take_response().expect("answered");
        println!(
            "{} -> {} {}",
            String::from_utf8_lossy(exchange.request().target()),
            response.status,
            String::from_utf8_lossy(&response.body)
        );
    }
}
