//! The client's side of WebSocket framing (RFC 6455 section 5), as little
//! as a load generator needs: it writes masked frames with FIN set, and
//! reads the server's unmasked frames one at a time out of a byte buffer.

use std::ops::Range;

/// A text frame.
pub const OP_TEXT: u8 = 0x1;
/// A binary frame.
pub const OP_BINARY: u8 = 0x2;
/// A close frame.
pub const OP_CLOSE: u8 = 0x8;
/// A ping frame.
pub const OP_PING: u8 = 0x9;
/// A pong frame.
pub const OP_PONG: u8 = 0xA;

/// The largest payload read from a server; a longer one is a framing error
/// (the benchmark's messages are a few bytes).
pub const MAX_PAYLOAD: u64 = 16 * 1024 * 1024;

/// Appends a client frame (masked with `mask`, FIN set) to `out`.
pub fn encode_masked(opcode: u8, payload: &[u8], mask: [u8; 4], out: &mut Vec<u8>) {
    out.push(0x80 | (opcode & 0x0F));
    let len = payload.len();
    if len < 126 {
        out.push(0x80 | len as u8);
    } else if let Ok(len) = u16::try_from(len) {
        out.push(0x80 | 126);
        out.extend_from_slice(&len.to_be_bytes());
    } else {
        out.push(0x80 | 127);
        out.extend_from_slice(&(len as u64).to_be_bytes());
    }
    out.extend_from_slice(&mask);
    out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
}

/// One frame from the server, found at the start of a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The FIN bit.
    pub fin: bool,
    /// The opcode (low four bits of the first byte).
    pub opcode: u8,
    /// Where the payload is in the buffer.
    pub payload: Range<usize>,
}

impl Frame {
    /// Bytes the whole frame takes at the start of the buffer.
    pub fn end(&self) -> usize {
        self.payload.end
    }
}

/// A server frame this client does not accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError(pub String);

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FrameError {}

/// The frame at the start of `buf`: `Ok(None)` until all of it is there.
/// A masked frame, RSV bits (no extension is negotiated) or a payload over
/// [`MAX_PAYLOAD`] is an error.
pub fn parse(buf: &[u8]) -> Result<Option<Frame>, FrameError> {
    let [first, second, ..] = *buf else {
        return Ok(None);
    };
    if first & 0x70 != 0 {
        return Err(FrameError(format!("RSV bits set: {first:#04x}")));
    }
    if second & 0x80 != 0 {
        return Err(FrameError("the server masked a frame".to_owned()));
    }
    let (len, header) = match second & 0x7F {
        126 => match buf.get(2..4) {
            Some(bytes) => (u64::from(u16::from_be_bytes([bytes[0], bytes[1]])), 4),
            None => return Ok(None),
        },
        127 => match buf.get(2..10) {
            Some(bytes) => {
                let mut be = [0; 8];
                be.copy_from_slice(bytes);
                (u64::from_be_bytes(be), 10)
            }
            None => return Ok(None),
        },
        short => (u64::from(short), 2),
    };
    if len > MAX_PAYLOAD {
        return Err(FrameError(format!("a {len}-byte frame")));
    }
    let end = header + len as usize;
    if buf.len() < end {
        return Ok(None);
    }
    Ok(Some(Frame {
        fin: first & 0x80 != 0,
        opcode: first & 0x0F,
        payload: header..end,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unmasks a client frame as a server would: (opcode, payload).
    fn unmask(frame: &[u8]) -> (u8, Vec<u8>) {
        assert_eq!(frame[0] & 0x80, 0x80, "FIN");
        assert_eq!(frame[1] & 0x80, 0x80, "MASK");
        let (len, at) = match frame[1] & 0x7F {
            126 => (u16::from_be_bytes([frame[2], frame[3]]) as usize, 4),
            127 => {
                let mut be = [0; 8];
                be.copy_from_slice(&frame[2..10]);
                (u64::from_be_bytes(be) as usize, 10)
            }
            n => (n as usize, 2),
        };
        let mask = &frame[at..at + 4];
        let payload = &frame[at + 4..];
        assert_eq!(payload.len(), len);
        let plain = payload
            .iter()
            .enumerate()
            .map(|(i, b)| b ^ mask[i % 4])
            .collect();
        (frame[0] & 0x0F, plain)
    }

    #[test]
    fn masked_frames_of_every_length_form() {
        for len in [0, 5, 125, 126, 65535, 65536] {
            let payload: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut out = Vec::new();
            encode_masked(OP_BINARY, &payload, [1, 2, 3, 4], &mut out);
            assert_eq!(unmask(&out), (OP_BINARY, payload), "length {len}");
        }
    }

    #[test]
    fn server_frames() {
        assert_eq!(parse(b"").unwrap(), None);
        assert_eq!(parse(b"\x81").unwrap(), None);
        assert_eq!(parse(b"\x81\x05hel").unwrap(), None);
        let frame = parse(b"\x81\x05helloX").unwrap().unwrap();
        assert_eq!(
            (frame.fin, frame.opcode, frame.payload.clone()),
            (true, 1, 2..7)
        );
        assert_eq!(frame.end(), 7);
        let mut long = vec![0x02, 126, 0x01, 0x00];
        long.extend(std::iter::repeat_n(7, 256));
        assert_eq!(parse(&long).unwrap().unwrap().payload, 4..260);
        assert_eq!(parse(&long[..100]).unwrap(), None);
        assert!(!parse(b"\x01\x00").unwrap().unwrap().fin);
    }

    #[test]
    fn refused_server_frames() {
        assert!(parse(b"\xC1\x00").is_err(), "RSV1");
        assert!(parse(b"\x81\x80\x00\x00\x00\x00").is_err(), "masked");
        let mut huge = vec![0x82, 127];
        huge.extend_from_slice(&(MAX_PAYLOAD + 1).to_be_bytes());
        assert!(parse(&huge).is_err(), "too long");
    }
}
