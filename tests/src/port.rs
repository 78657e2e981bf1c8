//! Ports for test servers.
//!
//! Ports come from a counter below the kernel's ephemeral range (32768 and
//! up on Linux), so no two tests of this process get the same port and no
//! outgoing connection of another process sits on one. A port still held
//! by another process is skipped.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The first port handed out; the counter wraps back to it.
const FIRST: u16 = 20_000;
/// One past the last port handed out.
const END: u16 = 32_000;

/// A port on `127.0.0.1` nothing listens on now and that no other call of
/// this process has returned (until the counter wraps around).
pub fn free_port() -> u16 {
    static NEXT: Mutex<Option<u16>> = Mutex::new(None);
    let mut next = NEXT.lock().unwrap_or_else(|e| e.into_inner());
    // Start where another run of the suite (another pid) likely does not.
    let mut port = next.unwrap_or(FIRST + (std::process::id() % 4000) as u16 * 3);
    loop {
        let candidate = port;
        port = if port + 1 >= END { FIRST } else { port + 1 };
        if TcpListener::bind((Ipv4Addr::LOCALHOST, candidate)).is_ok() {
            *next = Some(port);
            return candidate;
        }
    }
}

/// Wait until something accepts connections on `port`, trying every 10 ms
/// for at most `timeout`. `gave_up` is asked between tries and ends the
/// wait early (for a server that died). Returns whether the port opened.
pub fn wait_for_port(port: u16, timeout: Duration, mut gave_up: impl FnMut() -> bool) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return true;
        }
        if gave_up() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

/// Whether a connection to `port` is refused (nothing listens there).
pub fn is_closed(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err()
}
