//! Lines from standard input for `read()` (X2), read on a thread of their
//! own so the computer never blocks on them. Started by the first `read()`;
//! at end of input it stops, and `read()` then waits forever, as CC's does.

use std::io::BufRead;

use tokio::sync::mpsc;

/// Start reading stdin lines (without their `\n` / `\r\n`) into a channel.
pub(crate) fn spawn() -> mpsc::UnboundedReceiver<Vec<u8>> {
    let (tx, rx) = mpsc::unbounded_channel();
    let spawned = std::thread::Builder::new()
        .name("craftos-http-stdin".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            loop {
                let mut line = Vec::new();
                match input.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if line.last() == Some(&b'\n') {
                            line.pop();
                            if line.last() == Some(&b'\r') {
                                line.pop();
                            }
                        }
                        if tx.send(line).is_err() {
                            break;
                        }
                    }
                }
            }
        });
    if let Err(err) = spawned {
        tracing::warn!(%err, "cannot read stdin");
    }
    rx
}
