//! Lines from standard input for `read()` (X2), read on a thread of their
//! own so the computer never blocks on them. Started by the first `read()`;
//! at end of input it stops, and `read()` then waits forever, as CC's does.
//!
//! Bounded both ways: the channel holds [`AHEAD`] lines (the reader thread
//! waits while the script does not read), and a line longer than
//! [`MAX_LINE`] bytes comes as several lines of at most that size, so no
//! input can grow the process's memory without bound.

use std::io::BufRead;

use tokio::sync::mpsc;

/// Lines read ahead of the script.
const AHEAD: usize = 16;

/// The longest line delivered whole.
pub(crate) const MAX_LINE: usize = 1 << 20;

/// Start reading stdin lines (without their `\n` / `\r\n`) into a channel.
pub(crate) fn spawn() -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel(AHEAD);
    let spawned = std::thread::Builder::new()
        .name("craftos-http-stdin".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            while let Some(line) = read_line(&mut input, MAX_LINE) {
                if tx.blocking_send(line).is_err() {
                    break;
                }
            }
        });
    if let Err(err) = spawned {
        tracing::warn!(%err, "cannot read stdin");
    }
    rx
}

/// The next line of `input` without its end (`\n` or `\r\n`), at most
/// `max` bytes (the rest comes as the next line); `None` at the end of
/// input (or on an error) with nothing read.
fn read_line(input: &mut impl BufRead, max: usize) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    loop {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => &[],
        };
        if buf.is_empty() {
            return (!line.is_empty()).then_some(line);
        }
        let room = max - line.len();
        match buf.iter().take(room).position(|&b| b == b'\n') {
            Some(i) => {
                line.extend_from_slice(&buf[..i]);
                input.consume(i + 1);
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Some(line);
            }
            None => {
                let n = buf.len().min(room);
                line.extend_from_slice(&buf[..n]);
                input.consume(n);
                if line.len() == max {
                    return Some(line);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::read_line;

    #[test]
    fn lines_end_at_newlines_and_at_the_bound() {
        let mut input = &b"ab\r\ncd\n0123456789xyz\nlast"[..];
        assert_eq!(read_line(&mut input, 10).as_deref(), Some(&b"ab"[..]));
        assert_eq!(read_line(&mut input, 10).as_deref(), Some(&b"cd"[..]));
        assert_eq!(
            read_line(&mut input, 10).as_deref(),
            Some(&b"0123456789"[..])
        );
        assert_eq!(read_line(&mut input, 10).as_deref(), Some(&b"xyz"[..]));
        assert_eq!(read_line(&mut input, 10).as_deref(), Some(&b"last"[..]));
        assert_eq!(read_line(&mut input, 10), None);
    }
}
