//! Runs the `emulator` example (its own scheduler, two computers) and
//! talks to both computers over real sockets.

#[path = "../examples/emulator.rs"]
mod emulator;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// `GET path` on `port`, retried until the computer listens (bounded).
fn get(port: u16, path: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(mut s) => {
                s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                write!(
                    s,
                    "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                )
                .unwrap();
                let mut out = String::new();
                s.read_to_string(&mut out).unwrap();
                return out;
            }
            Err(e) if Instant::now() > deadline => panic!("port {port}: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

#[test]
fn two_computers_serve_their_own_ports_under_the_emulators_scheduler() {
    let ports = [free_port(), free_port()];
    let stop = Arc::new(AtomicBool::new(false));
    let emulator = {
        let stop = stop.clone();
        std::thread::spawn(move || emulator::run(ports, stop).map_err(|e| e.to_string()))
    };

    let a = get(ports[0], "/a");
    assert!(a.starts_with("HTTP/1.1 200 OK\r\n"), "{a}");
    assert!(a.ends_with("computer 1 says hello to /a"), "{a}");

    // Computer B's timer ticks between requests: its loop is driven.
    let first = get(ports[1], "/b");
    std::thread::sleep(Duration::from_millis(300));
    let second = get(ports[1], "/b");
    let ticks = |r: &str| -> u32 {
        let body = r.rsplit("\r\n\r\n").next().unwrap();
        assert!(body.starts_with("computer 2, "), "{r}");
        body.split(", ")
            .nth(1)
            .unwrap()
            .trim_end_matches(" ticks")
            .parse()
            .unwrap()
    };
    assert!(ticks(&second) > ticks(&first), "{first}\n{second}");
    assert!(second.ends_with("GET /b"), "{second}");

    stop.store(true, Ordering::SeqCst);
    emulator.join().unwrap().expect("the emulator ran cleanly");
    // Shut down: both ports are free again.
    for port in ports {
        TcpListener::bind(("127.0.0.1", port)).expect("port released");
    }
}
