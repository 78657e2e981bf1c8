//! An open file with the read/write semantics of CraftOS-PC's handles
//! (`std::fstream` in binary mode): one position shared by reads and writes,
//! an end-of-file flag that a short read sets and a `seek` or a write
//! clears, and writes buffered until `flush`, `close`, the end of the script
//! ([`super::close_all`]) or the handle's collection.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Bytes read from the file at a time.
const READ_CHUNK: usize = 8192;
/// Buffered writes go to the file when they reach this size.
const WRITE_CHUNK: usize = 64 * 1024;

/// What a handle may do, from its mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mode {
    /// `r`, `w` or `a`.
    pub(crate) kind: u8,
    /// `+`: both reading and writing.
    pub(crate) update: bool,
    /// `b`: bytes as numbers for `read()`/`write(n)`.
    pub(crate) binary: bool,
}

impl Mode {
    /// The modes CraftOS-PC accepts: `r w a`, each optionally followed by
    /// `b`, `+` or `+b`.
    pub(crate) fn parse(mode: &[u8]) -> Option<Mode> {
        let (&kind, rest) = mode.split_first()?;
        if !matches!(kind, b'r' | b'w' | b'a') {
            return None;
        }
        let (update, binary) = match rest {
            b"" => (false, false),
            b"b" => (false, true),
            b"+" => (true, false),
            b"+b" => (true, true),
            _ => return None,
        };
        Some(Mode {
            kind,
            update,
            binary,
        })
    }
}

/// Why a read failed.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// `read(n)` with `n < 0`.
    Negative,
    /// The file could not be read.
    Io,
}

/// An open file.
#[derive(Debug)]
pub(crate) struct OpenFile {
    file: File,
    rbuf: Vec<u8>,
    rpos: usize,
    wbuf: Vec<u8>,
    eof: bool,
}

impl OpenFile {
    /// Wrap `file`, positioned where it is.
    pub(crate) fn new(file: File) -> OpenFile {
        OpenFile {
            file,
            rbuf: Vec::new(),
            rpos: 0,
            wbuf: Vec::new(),
            eof: false,
        }
    }

    fn write_out(&mut self) -> io::Result<()> {
        if !self.wbuf.is_empty() {
            let result = self.file.write_all(&self.wbuf);
            self.wbuf.clear();
            result?;
        }
        Ok(())
    }

    /// Give back read-ahead bytes so the file position is the logical one.
    fn unread(&mut self) -> io::Result<()> {
        let ahead = self.rbuf.len() - self.rpos;
        self.rbuf.clear();
        self.rpos = 0;
        if ahead > 0 {
            self.file.seek(SeekFrom::Current(-(ahead as i64)))?;
        }
        Ok(())
    }

    /// Make sure unread bytes are buffered; false at the end of the file.
    fn fill(&mut self) -> io::Result<bool> {
        if self.rpos < self.rbuf.len() {
            return Ok(true);
        }
        self.write_out()?;
        self.rbuf.resize(READ_CHUNK, 0);
        self.rpos = 0;
        let n = loop {
            match self.file.read(&mut self.rbuf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.rbuf.clear();
                    return Err(e);
                }
                Ok(n) => break n,
            }
        };
        self.rbuf.truncate(n);
        Ok(n > 0)
    }

    fn take_byte(&mut self) -> io::Result<Option<u8>> {
        if !self.fill()? {
            return Ok(None);
        }
        let b = self.rbuf[self.rpos];
        self.rpos += 1;
        Ok(Some(b))
    }

    fn take_up_to(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while out.len() < n && self.fill()? {
            let avail = &self.rbuf[self.rpos..];
            let k = avail.len().min(n - out.len());
            out.extend_from_slice(&avail[..k]);
            self.rpos += k;
        }
        Ok(out)
    }

    /// `read([n])`: `Ok(None)` is "nothing" (end of file). Without `n`, one
    /// byte. With `n`, up to `n` bytes; `n == 0` gives `""` unless at the
    /// end. A short read sets the end-of-file flag.
    pub(crate) fn read(&mut self, n: Option<i64>) -> Result<Option<Vec<u8>>, ReadError> {
        if self.eof {
            return Ok(None);
        }
        let io = |_| ReadError::Io;
        match n {
            None => match self.take_byte().map_err(io)? {
                Some(b) => Ok(Some(vec![b])),
                None => {
                    self.eof = true;
                    Ok(None)
                }
            },
            Some(n) if n < 0 => Err(ReadError::Negative),
            Some(0) => {
                if self.fill().map_err(io)? {
                    Ok(Some(Vec::new()))
                } else {
                    self.eof = true;
                    Ok(None)
                }
            }
            Some(n) => {
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                let data = self.take_up_to(n).map_err(io)?;
                if data.len() < n {
                    self.eof = true;
                }
                Ok((!data.is_empty()).then_some(data))
            }
        }
    }

    /// `readLine([withTrailing])`: the next line without its `\n` (and
    /// without a `\r` before it), or with the `\n` when asked and present;
    /// `None` at the end.
    pub(crate) fn read_line(&mut self, trailing: bool) -> io::Result<Option<Vec<u8>>> {
        if self.eof {
            return Ok(None);
        }
        let mut line = Vec::new();
        let mut newline = false;
        while self.fill()? {
            let avail = &self.rbuf[self.rpos..];
            match avail.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    line.extend_from_slice(&avail[..i]);
                    self.rpos += i + 1;
                    newline = true;
                    break;
                }
                None => {
                    line.extend_from_slice(avail);
                    self.rpos = self.rbuf.len();
                }
            }
        }
        if !newline {
            self.eof = true;
            if line.is_empty() {
                return Ok(None);
            }
        }
        if trailing && newline {
            line.push(b'\n');
        } else if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(Some(line))
    }

    /// `readAll()`: the rest of the file (`""` at the end); sets the
    /// end-of-file flag.
    pub(crate) fn read_all(&mut self) -> io::Result<Vec<u8>> {
        if self.eof {
            return Ok(Vec::new());
        }
        let mut out = self.rbuf.split_off(self.rpos);
        self.rbuf.clear();
        self.rpos = 0;
        self.write_out()?;
        self.file.read_to_end(&mut out)?;
        self.eof = true;
        Ok(out)
    }

    /// `write`: buffered. After the end-of-file flag, writes go to the end.
    pub(crate) fn write(&mut self, data: &[u8]) -> io::Result<()> {
        if self.eof {
            self.eof = false;
            self.rbuf.clear();
            self.rpos = 0;
            self.write_out()?;
            self.file.seek(SeekFrom::End(0))?;
        }
        if !self.rbuf.is_empty() {
            self.unread()?;
        }
        self.wbuf.extend_from_slice(data);
        if self.wbuf.len() >= WRITE_CHUNK {
            self.write_out()?;
        }
        Ok(())
    }

    /// `flush`: buffered writes to the file.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.write_out()?;
        self.file.flush()
    }

    /// `seek`: the new position from the start; clears the end-of-file flag.
    pub(crate) fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.eof = false;
        self.write_out()?;
        self.unread()?;
        self.file.seek(to)
    }
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        if let Err(e) = self.write_out() {
            tracing::warn!("fs: writing a file at close failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(content: &[u8], tag: &str) -> (std::path::PathBuf, File) {
        let p =
            std::env::temp_dir().join(format!("craftos-fs-handle-{tag}-{}", std::process::id()));
        std::fs::write(&p, content).unwrap();
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&p)
            .unwrap();
        (p, f)
    }

    #[test]
    fn modes() {
        assert_eq!(
            Mode::parse(b"rb"),
            Some(Mode {
                kind: b'r',
                update: false,
                binary: true
            })
        );
        assert_eq!(
            Mode::parse(b"a+"),
            Some(Mode {
                kind: b'a',
                update: true,
                binary: false
            })
        );
        for bad in [&b""[..], b"x", b"rb+", b"rw", b"r ", b"wbb", b"R"] {
            assert_eq!(Mode::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn lines_and_eof() {
        let (p, f) = file_with(b"one\r\ntwo\n\nlast\r", "lines");
        let mut h = OpenFile::new(f);
        assert_eq!(h.read_line(false).unwrap(), Some(b"one".to_vec()));
        assert_eq!(h.read_line(true).unwrap(), Some(b"two\n".to_vec()));
        assert_eq!(h.read_line(false).unwrap(), Some(b"".to_vec()));
        assert_eq!(h.read_line(true).unwrap(), Some(b"last".to_vec()));
        assert_eq!(h.read_line(false).unwrap(), None);
        assert!(matches!(h.read(None), Ok(None)));
        assert_eq!(h.read_all().unwrap(), b"");
        assert_eq!(h.seek(SeekFrom::Start(4)).unwrap(), 4);
        assert_eq!(h.read_all().unwrap(), b"\ntwo\n\nlast\r");
        std::fs::remove_file(p).unwrap();
    }

    #[test]
    fn reads_and_writes_share_a_position() {
        let (p, f) = file_with(b"abcdef", "shared");
        let mut h = OpenFile::new(f);
        assert_eq!(h.read(Some(2)).unwrap(), Some(b"ab".to_vec()));
        h.write(b"XY").unwrap();
        assert_eq!(h.read(None).unwrap(), Some(b"e".to_vec()));
        assert_eq!(h.seek(SeekFrom::Current(0)).unwrap(), 5);
        assert_eq!(h.read(Some(10)).unwrap(), Some(b"f".to_vec()));
        assert!(matches!(h.read(Some(0)), Ok(None)));
        // after the end-of-file flag, a write appends
        h.write(b"!").unwrap();
        h.flush().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"abXYef!");
        assert!(matches!(h.read(Some(-1)), Err(ReadError::Negative)));
        std::fs::remove_file(p).unwrap();
    }
}
