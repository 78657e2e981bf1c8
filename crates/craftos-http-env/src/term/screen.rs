//! The screen behind `term.native()`: one per computer, shared with the
//! runner's `write`/`print`/`io.write` so that everything the computer
//! prints leaves through one writer, in order.
//!
//! Two ways to show it:
//!
//! - **Plain** (stdout is not a terminal: a supervisor, a pipe, a file).
//!   The output is a log of text lines. The screen is kept as rows of text
//!   (51x19, as CraftOS-PC; rows are not clipped at 51 columns, so long log
//!   lines stay whole), with each row as the log last showed it:
//!   - writing on the row the current log line shows, past what it already
//!     shows, appends to the log line;
//!   - a row that reads as the log last showed it is not shown again, so
//!     redrawing an unchanged screen (a status loop, a window redraw) logs
//!     nothing; a row being redrawn from the left is held back while it
//!     reads as the start of what the log shows, and shown if it ends up
//!     different (at the latest when the cursor leaves it);
//!   - any other change starts a new log line holding the whole row as it
//!     now reads (leading spaces included);
//!   - moving the cursor to another row, `clear` and `scroll` end the log
//!     line (a `\n`, only if the line has text), and so does `clearLine`
//!     on the row the log line shows;
//!   - trailing spaces of a row are never written and blank rows never
//!     make empty lines, so clearing, blank window lines and padding leave
//!     nothing in the log;
//!   - colours, palette and cursor blink change nothing in the output.
//!
//!   `write`/`print` text goes out byte for byte as printed (after the
//!   part of the row left of the cursor, when the cursor is not where the
//!   log line ends).
//! - **ANSI** (stdout is a terminal): the terminal is the screen. Drawing
//!   moves the cursor with `CSI row;col H`, `clear`/`clearLine`/`scroll`
//!   use `CSI 2J`/`2K`/`S`/`T`, colours are SGR (24-bit when `COLORTERM`
//!   says so, else 256 or 16 colours; none with `NO_COLOR`), reset after
//!   every drawing so nothing else on the terminal inherits them. White
//!   text on black is the terminal's own default colours. Text drawn with
//!   `term.write`/`blit` is clipped to the screen as CC clips it, and bytes
//!   show as CC's font shows them (Latin-1, the teletext sextants of
//!   128-159, the CP437 symbols of 1-31). The cursor blink shows or hides
//!   the terminal's cursor (shown again at exit). The top-left of the
//!   terminal window is (1, 1): drawing places the cursor there
//!   explicitly. `write`/`print` text goes out as printed (in the current
//!   colours) where the terminal's cursor is, and the cursor is tracked
//!   through it (counted from (1, 1) until the script first draws, since
//!   where the terminal's cursor starts is unknown).

use std::io::Write;

/// The size of a CraftOS-PC computer's screen.
pub(crate) const DEFAULT_SIZE: (i64, i64) = (51, 19);

/// Columns kept per row in plain mode (text beyond is dropped).
const MAX_COLS: usize = 1 << 16;

/// Colour index of white (`colors.white`), the default text colour.
pub(crate) const WHITE: u8 = 0;
/// Colour index of black (`colors.black`), the default background.
pub(crate) const BLACK: u8 = 15;

/// CC's (and CraftOS-PC's) default palette, `0xRRGGBB` by colour index.
pub(crate) const DEFAULT_PALETTE: [u32; 16] = [
    0xF0F0F0, 0xF2B233, 0xE57FD8, 0x99B2F2, 0xDEDE6C, 0x7FCC19, 0xF2B2CC, 0x4C4C4C, 0x999999,
    0x4C99B2, 0xB266E5, 0x3366CC, 0x7F664C, 0x57A64E, 0xCC4C4C, 0x111111,
];

/// How many colours the terminal shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Depth {
    /// No colour escapes at all (`NO_COLOR`, `TERM=dumb`).
    Mono,
    /// The 16 ANSI colours.
    Ansi16,
    /// xterm's 256 colours (nearest to the palette).
    Ansi256,
    /// 24-bit colour, the palette exactly.
    TrueColor,
}

/// A function giving the terminal's size in columns and rows.
pub(crate) type SizeFn = fn() -> Option<(i64, i64)>;

/// The screen state and its output.
pub(crate) struct Screen {
    sink: Box<dyn Write>,
    width: i64,
    height: i64,
    x: i64,
    y: i64,
    blink: bool,
    fg: u8,
    bg: u8,
    palette: [u32; 16],
    /// What the current operation writes, sent to `sink` at its end.
    out: Vec<u8>,
    mode: Mode,
}

enum Mode {
    Plain(Plain),
    Ansi(Ansi),
}

struct Plain {
    rows: Vec<Vec<u8>>,
    /// Each row as the log last showed it (without trailing spaces); for
    /// the row of the current log line, that line (`emitted`) instead.
    logged: Vec<Vec<u8>>,
    /// The row the current log line shows.
    out_row: Option<i64>,
    /// The bytes of the current log line written so far.
    emitted: Vec<u8>,
    /// The row of the current log line still starts with `emitted`.
    synced: bool,
    /// A row being redrawn from the left that so far reads as the start
    /// of what the log shows for it: shown only if it ends up different.
    pending: Option<i64>,
}

struct Ansi {
    depth: Depth,
    size: Option<SizeFn>,
    /// Where the terminal's cursor is, when known.
    real: Option<(i64, i64)>,
    /// `real` is only the guess made at the start ((1, 1)): printing
    /// trusts it, drawing places the cursor explicitly.
    assumed: bool,
    /// The terminal's cursor was hidden (shown again on drop).
    hidden: bool,
}

impl Screen {
    /// A plain-text screen (51x19) writing to `sink`.
    pub(crate) fn plain(sink: Box<dyn Write>) -> Self {
        let (width, height) = DEFAULT_SIZE;
        Self::new(
            sink,
            width,
            height,
            Mode::Plain(Plain {
                rows: vec![Vec::new(); height as usize],
                logged: vec![Vec::new(); height as usize],
                out_row: None,
                emitted: Vec::new(),
                synced: false,
                pending: None,
            }),
        )
    }

    /// A screen drawn on a terminal with ANSI escapes; `size` gives the
    /// terminal's size (51x19 when it is `None` or fails).
    pub(crate) fn ansi(sink: Box<dyn Write>, depth: Depth, size: Option<SizeFn>) -> Self {
        let (width, height) = size.and_then(|f| f()).unwrap_or(DEFAULT_SIZE);
        Self::new(
            sink,
            width.max(1),
            height.max(1),
            Mode::Ansi(Ansi {
                depth,
                size,
                real: Some((1, 1)),
                assumed: true,
                hidden: false,
            }),
        )
    }

    fn new(sink: Box<dyn Write>, width: i64, height: i64, mode: Mode) -> Self {
        Screen {
            sink,
            width,
            height,
            x: 1,
            y: 1,
            blink: false,
            fg: WHITE,
            bg: BLACK,
            palette: DEFAULT_PALETTE,
            out: Vec::new(),
            mode,
        }
    }

    /// Whether this screen draws with ANSI escapes.
    pub(crate) fn is_ansi(&self) -> bool {
        matches!(self.mode, Mode::Ansi(_))
    }

    fn on_screen(&self, x: i64, y: i64) -> bool {
        (1..=self.width).contains(&x) && (1..=self.height).contains(&y)
    }

    /// Send what the operation wrote (ANSI: after placing the cursor when
    /// it blinks, and flushed, so the terminal shows it at once).
    fn finish(&mut self) {
        if let Mode::Ansi(a) = &self.mode {
            if self.blink && !a.assumed && self.on_screen(self.x, self.y) {
                self.move_to(self.x, self.y);
            }
            if !self.out.is_empty() {
                let _ = self.sink.write_all(&self.out);
                let _ = self.sink.flush();
            }
        } else if !self.out.is_empty() {
            // A closed stdout must not stop the computer.
            let _ = self.sink.write_all(&self.out);
        }
        self.out.clear();
    }

    // The term API -------------------------------------------------------

    /// `term.write`: `text` at the cursor, which moves past it.
    pub(crate) fn write(&mut self, text: &[u8]) {
        self.put(text, None);
        self.finish();
    }

    /// `term.blit`: `text` with a colour per character (hex digits; others
    /// mean white text, black background, as CraftOS-PC reads them).
    /// The three have the same length (the caller checks).
    pub(crate) fn blit(&mut self, text: &[u8], fg: &[u8], bg: &[u8]) {
        self.put(text, Some((fg, bg)));
        self.finish();
    }

    /// `term.clear`.
    pub(crate) fn clear(&mut self) {
        match &mut self.mode {
            Mode::Plain(p) => {
                p.flush_pending(&mut self.out);
                p.rows.iter_mut().for_each(Vec::clear);
                p.end_line(&mut self.out);
            }
            Mode::Ansi(a) => {
                if let Some((w, h)) = a.size.and_then(|f| f()) {
                    self.width = w.max(1);
                    self.height = h.max(1);
                }
                self.erase(b"2J");
            }
        }
        self.finish();
    }

    /// `term.clearLine`: the cursor's row.
    pub(crate) fn clear_line(&mut self) {
        let y = self.y;
        if (1..=self.height).contains(&y) {
            match &mut self.mode {
                Mode::Plain(p) => {
                    p.flush_pending(&mut self.out);
                    p.rows[(y - 1) as usize].clear();
                    if p.out_row == Some(y) {
                        p.end_line(&mut self.out);
                    }
                }
                Mode::Ansi(_) => {
                    self.move_to(1, y);
                    self.erase(b"2K");
                }
            }
        }
        self.finish();
    }

    /// `term.scroll(n)`: move the content up `n` rows (down when negative).
    pub(crate) fn scroll(&mut self, n: i64) {
        if n == 0 {
            return;
        }
        let height = self.height;
        match &mut self.mode {
            Mode::Plain(p) => {
                p.flush_pending(&mut self.out);
                p.end_line(&mut self.out);
                let k = n.unsigned_abs().min(height as u64) as usize;
                for rows in [&mut p.rows, &mut p.logged] {
                    let blank = std::iter::repeat_with(Vec::new).take(k);
                    if n > 0 {
                        rows.drain(..k);
                        rows.extend(blank);
                    } else {
                        rows.truncate(height as usize - k);
                        rows.splice(0..0, blank);
                    }
                }
            }
            Mode::Ansi(_) => {
                if n.unsigned_abs() >= height as u64 {
                    self.erase(b"2J");
                } else if n > 0 {
                    self.erase(format!("{n}S").as_bytes());
                } else {
                    self.erase(format!("{}T", -n).as_bytes());
                }
            }
        }
        self.finish();
    }

    /// `term.getCursorPos`.
    pub(crate) fn cursor(&self) -> (i64, i64) {
        (self.x, self.y)
    }

    /// `term.setCursorPos`.
    pub(crate) fn set_cursor(&mut self, x: i64, y: i64) {
        self.x = x;
        self.y = y;
        if self.blink && self.on_screen(x, y) {
            self.move_to(x, y);
        }
        if let Mode::Plain(p) = &mut self.mode {
            if p.pending.is_some_and(|r| r != y) {
                p.flush_pending(&mut self.out);
            }
            if p.out_row != Some(y) && !p.emitted.is_empty() {
                p.end_line(&mut self.out);
            }
        }
        self.finish();
    }

    /// `term.getCursorBlink`.
    pub(crate) fn blink(&self) -> bool {
        self.blink
    }

    /// `term.setCursorBlink`: shows or hides the terminal's cursor.
    pub(crate) fn set_blink(&mut self, on: bool) {
        self.blink = on;
        if let Mode::Ansi(a) = &mut self.mode {
            self.out
                .extend_from_slice(if on { b"\x1b[?25h" } else { b"\x1b[?25l" });
            a.hidden = !on;
        }
        self.finish();
    }

    /// `term.getSize` (ANSI: the terminal's size now).
    pub(crate) fn size(&mut self) -> (i64, i64) {
        if let Mode::Ansi(a) = &self.mode
            && let Some((w, h)) = a.size.and_then(|f| f())
        {
            self.width = w.max(1);
            self.height = h.max(1);
        }
        (self.width, self.height)
    }

    /// The text and background colour indexes (0-15).
    pub(crate) fn colours(&self) -> (u8, u8) {
        (self.fg, self.bg)
    }

    /// Set the text colour index (0-15).
    pub(crate) fn set_fg(&mut self, c: u8) {
        self.fg = c & 15;
    }

    /// Set the background colour index (0-15).
    pub(crate) fn set_bg(&mut self, c: u8) {
        self.bg = c & 15;
    }

    /// The palette entry of colour index `c` (0-15), `0xRRGGBB`.
    pub(crate) fn palette(&self, c: u8) -> u32 {
        self.palette[usize::from(c & 15)]
    }

    /// Set the palette entry of colour index `c` (0-15).
    pub(crate) fn set_palette(&mut self, c: u8, rgb: u32) {
        self.palette[usize::from(c & 15)] = rgb & 0xFF_FFFF;
    }

    // The runner's stdout --------------------------------------------------

    /// Text printed by `write`/`print`/`io.write`: out byte for byte, at
    /// the cursor, which follows it (`\n` goes to the start of the next
    /// row; at the bottom the screen scrolls).
    pub(crate) fn print(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if let Mode::Plain(_) = self.mode {
            self.plain_print(bytes);
        } else {
            self.ansi_print(bytes);
        }
        self.finish();
    }

    fn plain_print(&mut self, bytes: &[u8]) {
        let (x, y, height) = (self.x, self.y, self.height);
        let Mode::Plain(p) = &mut self.mode else {
            return;
        };
        let out = &mut self.out;
        p.flush_pending(out);
        if (1..=height).contains(&y) {
            // Bring the log line to the cursor: what the row holds between
            // the end of the log line and the cursor (or, on a new log
            // line, left of the cursor) goes first.
            let col = ((x - 1).max(0) as usize).min(MAX_COLS);
            let idx = (y - 1) as usize;
            // A log line longer than the rows keep just goes on.
            let overflowed = p.emitted.len() >= MAX_COLS && x > MAX_COLS as i64;
            let from = if p.out_row == Some(y) && overflowed {
                col
            } else if p.out_row == Some(y) && p.synced && p.emitted.len() <= col {
                p.emitted.len()
            } else {
                p.end_line(out);
                p.out_row = Some(y);
                p.synced = true;
                0
            };
            let row = &p.rows[idx];
            let mut gap: Vec<u8> = (from..col)
                .map(|i| row.get(i).copied().unwrap_or(b' '))
                .collect();
            if bytes[0] == b'\n' {
                while gap.last() == Some(&b' ') {
                    gap.pop();
                }
            }
            out.extend_from_slice(&gap);
            p.emitted.extend_from_slice(&gap);
        } else {
            p.end_line(out);
        }
        out.extend_from_slice(bytes);
        let (mut x, mut y) = (x, y);
        for &b in bytes {
            if b == b'\n' {
                p.commit();
                x = 1;
                if y >= height {
                    if y == height {
                        p.rows.remove(0);
                        p.rows.push(Vec::new());
                        p.logged.remove(0);
                        p.logged.push(Vec::new());
                    }
                    y = height;
                } else {
                    y += 1;
                }
                p.emitted.clear();
                p.out_row = (1..=height).contains(&y).then_some(y);
                p.synced = p.out_row.is_some();
                continue;
            }
            if (1..=height).contains(&y) && x >= 1 && ((x - 1) as usize) < MAX_COLS {
                let row = &mut p.rows[(y - 1) as usize];
                let col = (x - 1) as usize;
                if row.len() <= col {
                    row.resize(col + 1, b' ');
                }
                row[col] = b;
            } else {
                p.synced = false;
            }
            if p.emitted.len() < MAX_COLS {
                p.emitted.push(b);
            } else {
                // Too long to mirror: the rest of the line is not kept.
                p.synced = false;
            }
            x = x.saturating_add(1);
        }
        self.x = x;
        self.y = y;
    }

    fn ansi_print(&mut self, bytes: &[u8]) {
        let (w, h) = (self.width, self.height);
        let real = match &self.mode {
            Mode::Ansi(a) => a.real,
            Mode::Plain(_) => return,
        };
        if real != Some((self.x, self.y)) {
            if self.on_screen(self.x, self.y) {
                self.move_to(self.x, self.y);
            } else if self.x > w && (1..=h).contains(&self.y) {
                // Past the right edge: continue on the next row, as CC's
                // `write` wraps.
                self.move_to(1, self.y);
                self.out.push(b'\n');
                self.x = 1;
                self.y = (self.y + 1).min(h);
            }
        }
        let styled = self.sgr(self.fg, self.bg);
        match bytes.split_last() {
            // Colours end before a final newline, so a line scrolled in
            // at the bottom is not painted.
            Some((b'\n', text)) if styled => {
                self.out.extend_from_slice(text);
                self.out.extend_from_slice(b"\x1b[0m\n");
            }
            _ => {
                self.out.extend_from_slice(bytes);
                if styled {
                    self.out.extend_from_slice(b"\x1b[0m");
                }
            }
        }
        let (mut x, mut y) = (self.x, self.y);
        for &b in bytes {
            match b {
                b'\n' => {
                    x = 1;
                    y = if y >= h { h } else { y + 1 };
                }
                b'\r' => x = 1,
                b'\t' => x = (((x - 1).max(0) / 8 + 1) * 8 + 1).min(w),
                0x08 => x = (x - 1).max(1),
                0..0x20 | 0x7F => {}
                // UTF-8 continuation bytes take no column on a terminal.
                _ if b & 0xC0 == 0x80 => {}
                _ => {
                    if x > w {
                        x = 1;
                        y = if y >= h { h } else { y + 1 };
                    }
                    x += 1;
                }
            }
        }
        self.x = x;
        self.y = y;
        if let Mode::Ansi(a) = &mut self.mode {
            a.real = Some((x, y));
        }
    }

    // Drawing --------------------------------------------------------------

    /// Draw `text` at the cursor (with per-character colours for `blit`)
    /// and move the cursor past it.
    fn put(&mut self, text: &[u8], colours: Option<(&[u8], &[u8])>) {
        let start = self.x;
        self.x = self.x.saturating_add(text.len() as i64);
        let y = self.y;
        if text.is_empty() || !(1..=self.height).contains(&y) {
            return;
        }
        match &mut self.mode {
            Mode::Plain(p) => {
                let mut text = text;
                let mut col = start - 1;
                if col < 0 {
                    let skip = col.unsigned_abs();
                    if skip >= text.len() as u64 {
                        return;
                    }
                    text = &text[skip as usize..];
                    col = 0;
                }
                let col = col as usize;
                if col >= MAX_COLS {
                    return;
                }
                let text = &text[..text.len().min(MAX_COLS - col)];
                let row = &mut p.rows[(y - 1) as usize];
                if row.len() < col + text.len() {
                    row.resize(col + text.len(), b' ');
                }
                row[col..col + text.len()].copy_from_slice(text);
                // Does the log line still read as the start of the row?
                let shown = p.emitted.len();
                if p.out_row == Some(y) && p.synced && col < shown {
                    let upto = (col + text.len()).min(shown);
                    p.synced = p.emitted[col..upto] == text[..upto - col];
                }
                p.present(y, &mut self.out);
            }
            Mode::Ansi(_) => {
                let first = start.max(1);
                let last = start.saturating_add(text.len() as i64 - 1).min(self.width);
                if first > last {
                    return;
                }
                self.move_to(first, y);
                let mut current = None;
                let mut styled = false;
                for col in first..=last {
                    let i = (col - start) as usize;
                    let pair = match colours {
                        Some((fg, bg)) => (
                            hex_colour(fg[i]).unwrap_or(WHITE),
                            hex_colour(bg[i]).unwrap_or(BLACK),
                        ),
                        None => (self.fg, self.bg),
                    };
                    if current != Some(pair) {
                        if styled {
                            self.out.extend_from_slice(b"\x1b[0m");
                        }
                        styled = self.sgr(pair.0, pair.1);
                        current = Some(pair);
                    }
                    glyph(text[i], &mut self.out);
                }
                if styled {
                    self.out.extend_from_slice(b"\x1b[0m");
                }
                let width = self.width;
                if let Mode::Ansi(a) = &mut self.mode {
                    a.real = (last < width).then_some((last + 1, y));
                }
            }
        }
    }

    /// Move the terminal's cursor (ANSI), unless it is there already.
    fn move_to(&mut self, x: i64, y: i64) {
        if let Mode::Ansi(a) = &mut self.mode
            && (a.assumed || a.real != Some((x, y)))
        {
            self.out
                .extend_from_slice(format!("\x1b[{y};{x}H").as_bytes());
            a.real = Some((x, y));
            a.assumed = false;
        }
    }

    /// An erasing control (`CSI <op>`) in the background colour.
    fn erase(&mut self, op: &[u8]) {
        let styled = self.sgr(WHITE, self.bg);
        self.out.extend_from_slice(b"\x1b[");
        self.out.extend_from_slice(op);
        if styled {
            self.out.extend_from_slice(b"\x1b[0m");
        }
    }

    /// Select colours `fg` on `bg`; false (and nothing written) when they
    /// are the defaults or the terminal shows none.
    fn sgr(&mut self, fg: u8, bg: u8) -> bool {
        let depth = match &self.mode {
            Mode::Ansi(a) => a.depth,
            Mode::Plain(_) => return false,
        };
        if depth == Depth::Mono || (fg == WHITE && bg == BLACK) {
            return false;
        }
        let mut codes = Vec::with_capacity(2);
        if fg != WHITE {
            codes.push(self.colour_code(depth, fg, false));
        }
        if bg != BLACK {
            codes.push(self.colour_code(depth, bg, true));
        }
        self.out
            .extend_from_slice(format!("\x1b[{}m", codes.join(";")).as_bytes());
        true
    }

    fn colour_code(&self, depth: Depth, c: u8, background: bool) -> String {
        let rgb = self.palette(c);
        let (r, g, b) = (rgb >> 16, (rgb >> 8) & 0xFF, rgb & 0xFF);
        let base = if background { 48 } else { 38 };
        match depth {
            Depth::TrueColor => format!("{base};2;{r};{g};{b}"),
            Depth::Ansi256 => format!("{base};5;{}", nearest_256(rgb)),
            Depth::Ansi16 | Depth::Mono => {
                let code = ANSI16[usize::from(c & 15)] + if background { 10 } else { 0 };
                code.to_string()
            }
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        if let Mode::Ansi(a) = &self.mode
            && a.hidden
        {
            let _ = self.sink.write_all(b"\x1b[?25h");
        }
        let _ = self.sink.flush();
    }
}

impl Plain {
    /// What the log shows for row index `idx`.
    fn logged_of(&self, idx: usize) -> &[u8] {
        if self.out_row == Some(idx as i64 + 1) {
            trimmed(&self.emitted)
        } else {
            &self.logged[idx]
        }
    }

    /// Remember what the current log line shows for its row.
    fn commit(&mut self) {
        if let Some(y) = self.out_row
            && !self.emitted.is_empty()
            && (1..=self.logged.len() as i64).contains(&y)
        {
            self.logged[(y - 1) as usize] = trimmed(&self.emitted).to_vec();
        }
    }

    /// End the log line (a newline if it has text).
    fn end_line(&mut self, out: &mut Vec<u8>) {
        self.commit();
        if !self.emitted.is_empty() {
            out.push(b'\n');
            self.emitted.clear();
        }
        self.out_row = None;
        self.synced = false;
    }

    /// Start a new log line showing row `y`.
    fn show(&mut self, y: i64, out: &mut Vec<u8>) {
        self.end_line(out);
        let row = trimmed(&self.rows[(y - 1) as usize]);
        out.extend_from_slice(row);
        self.emitted.extend_from_slice(row);
        self.out_row = Some(y);
        self.synced = true;
    }

    /// Show the pending row if it ended up different from the log.
    fn flush_pending(&mut self, out: &mut Vec<u8>) {
        let Some(y) = self.pending.take() else {
            return;
        };
        let idx = (y - 1) as usize;
        let row = trimmed(&self.rows[idx]);
        if row == self.logged_of(idx) {
            return;
        }
        if row.is_empty() {
            if self.out_row != Some(y) {
                self.logged[idx].clear();
            }
        } else {
            self.show(y, out);
        }
    }

    /// Show row `y` (1-based) after a change: append to the log line when
    /// it shows this row and the change only added text; nothing when the
    /// row reads as the log shows it (or, being redrawn, as the start of
    /// it); else a new log line with the row.
    fn present(&mut self, y: i64, out: &mut Vec<u8>) {
        let idx = (y - 1) as usize;
        if self.out_row == Some(y) && self.synced {
            let row = &self.rows[idx];
            let end = trimmed(row).len();
            let done = self.emitted.len();
            if end > done {
                out.extend_from_slice(&row[done..end]);
                self.emitted.extend_from_slice(&row[done..end]);
            }
            if self.pending == Some(y) {
                self.pending = None;
            }
            return;
        }
        let row = trimmed(&self.rows[idx]);
        let logged = self.logged_of(idx);
        let (same, start) = (row == logged, logged.starts_with(row));
        if same {
            if self.pending == Some(y) {
                self.pending = None;
            }
            return;
        }
        if start {
            if self.pending != Some(y) {
                self.flush_pending(out);
                self.pending = Some(y);
            }
            return;
        }
        if self.pending == Some(y) {
            self.pending = None;
        } else {
            self.flush_pending(out);
        }
        self.show(y, out);
    }
}

/// `s` without its trailing spaces.
fn trimmed(s: &[u8]) -> &[u8] {
    let end = s.iter().rposition(|&b| b != b' ').map_or(0, |p| p + 1);
    &s[..end]
}

/// SGR foreground codes of the 16 colours (background: +10).
const ANSI16: [u8; 16] = [
    97, 33, 95, 94, 93, 92, 95, 90, 37, 36, 35, 34, 33, 32, 31, 30,
];

/// The colour index of a blit hex digit.
pub(crate) fn hex_colour(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The xterm-256 colour nearest to `rgb`.
fn nearest_256(rgb: u32) -> u8 {
    const LEVELS: [i32; 6] = [0, 95, 135, 175, 215, 255];
    let c = [
        (rgb >> 16) as i32,
        ((rgb >> 8) & 0xFF) as i32,
        (rgb & 0xFF) as i32,
    ];
    let dist = |a: [i32; 3]| -> i32 { (0..3).map(|i| (a[i] - c[i]).pow(2)).sum() };
    let level = |v: i32| -> usize { (0..6).min_by_key(|&i| (LEVELS[i] - v).abs()).unwrap_or(0) };
    let (r, g, b) = (level(c[0]), level(c[1]), level(c[2]));
    let cube = [LEVELS[r], LEVELS[g], LEVELS[b]];
    let avg = (c[0] + c[1] + c[2]) / 3;
    let k = ((avg - 8 + 5) / 10).clamp(0, 23);
    let grey = 8 + 10 * k;
    if dist([grey; 3]) < dist(cube) {
        (232 + k) as u8
    } else {
        (16 + 36 * r + 6 * g + b) as u8
    }
}

/// CC's font glyphs 1-31 (CP437's symbols).
const LOW_GLYPHS: [char; 32] = [
    ' ', '☺', '☻', '♥', '♦', '♣', '♠', '•', '◘', '○', '◙', '♂', '♀', '♪', '♫', '☼', '►', '◄', '↕',
    '‼', '¶', '§', '▬', '↨', '↑', '↓', '→', '←', '∟', '↔', '▲', '▼',
];

/// Append the terminal form of CC's character `b`.
fn glyph(b: u8, out: &mut Vec<u8>) {
    let c = match b {
        0x20..=0x7E => {
            out.push(b);
            return;
        }
        0..0x20 => LOW_GLYPHS[usize::from(b)],
        0x7F => '▒',
        // Teletext: bits 0-4 are the top-left, top-right, middle-left,
        // middle-right and bottom-left cells of a 2x3 block.
        0x80..=0x9F => {
            let p = u32::from(b - 0x80);
            match p {
                0 => ' ',
                21 => '▌',
                _ => char::from_u32(0x1FB00 + p - 1 - u32::from(p > 21)).unwrap_or('?'),
            }
        }
        _ => char::from(b),
    };
    let mut buf = [0; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A sink the test can read.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn take(&self) -> String {
            String::from_utf8_lossy(&std::mem::take(&mut *self.0.borrow_mut())).into_owned()
        }
    }

    fn plain() -> (Screen, Shared) {
        let sink = Shared::default();
        (Screen::plain(Box::new(sink.clone())), sink)
    }

    fn ansi(depth: Depth) -> (Screen, Shared) {
        let sink = Shared::default();
        (
            Screen::ansi(Box::new(sink.clone()), depth, Some(|| Some((20, 5)))),
            sink,
        )
    }

    #[test]
    fn plain_status_screen() {
        let (mut s, out) = plain();
        for n in 5..7 {
            s.clear();
            s.set_cursor(1, 1);
            s.write(b"Status: ok");
            s.set_cursor(1, 2);
            s.write(format!("Requests: {n}").as_bytes());
        }
        s.set_cursor(1, 3);
        // The unchanged row is not logged again.
        assert_eq!(out.take(), "Status: ok\nRequests: 5\nRequests: 6\n");
    }

    #[test]
    fn plain_appends_and_rewrites_rows() {
        let (mut s, out) = plain();
        s.write(b"Name:");
        s.set_cursor(10, 1);
        s.write(b"value");
        assert_eq!(out.take(), "Name:    value");
        // Overwriting what was written starts a new line with the row.
        s.set_cursor(10, 1);
        s.write(b"other");
        assert_eq!(out.take(), "\nName:    other");
        // Writing the same again shows nothing new.
        s.set_cursor(1, 1);
        s.write(b"Name:");
        assert_eq!(out.take(), "");
        // Another row: the line ends; coming back shows the whole row.
        s.set_cursor(1, 3);
        s.write(b"x");
        s.set_cursor(15, 1);
        s.write(b"!");
        assert_eq!(out.take(), "\nx\nName:    other!");
    }

    #[test]
    fn plain_blank_drawing_writes_nothing() {
        let (mut s, out) = plain();
        for y in 1..=19 {
            s.set_cursor(1, y);
            s.blit(&[b' '; 51], &[b'0'; 51], &[b'f'; 51]);
        }
        s.clear();
        s.scroll(3);
        s.clear_line();
        assert_eq!(out.take(), "");
    }

    #[test]
    fn plain_long_lines_cost_linear_time() {
        let (mut s, out) = plain();
        for _ in 0..50_000 {
            s.write(b".");
        }
        for _ in 0..50_000 {
            s.print(b"-");
        }
        s.print(b"\n");
        let text = out.take();
        assert_eq!(text.len(), 100_001);
        assert!(text.starts_with("...") && text.ends_with("--\n"));
        // Drawing on a row after an over-long line starts a new line.
        s.set_cursor(1, 2);
        s.print(&[b'x'; 70_000]);
        s.set_cursor(1, 2);
        s.write(b"y");
        let text = out.take();
        assert_eq!(text.len(), 70_000 + 1 + 65_536);
        assert!(text.ends_with(&format!("\ny{}", "x".repeat(65_535))));
    }

    #[test]
    fn plain_redraws_log_only_changes() {
        let (mut s, out) = plain();
        let draw = |s: &mut Screen, label: &[u8], value: &[u8]| {
            s.set_cursor(1, 1);
            s.clear_line();
            s.write(label);
            s.write(value);
            s.set_cursor(1, 2);
        };
        draw(&mut s, b"Count: ", b"10");
        draw(&mut s, b"Count: ", b"10");
        draw(&mut s, b"Count: ", b"12");
        // A row that ends up as the start of what the log shows is shown
        // when the cursor moves on.
        draw(&mut s, b"Count: ", b"1");
        assert_eq!(out.take(), "Count: 10\nCount: 12\nCount: 1\n");
        // A clear and the same screen again: nothing.
        s.clear();
        draw(&mut s, b"Count: ", b"1");
        assert_eq!(out.take(), "");
    }

    #[test]
    fn plain_clear_line_progress() {
        let (mut s, out) = plain();
        for p in [10, 20] {
            s.set_cursor(1, 4);
            s.clear_line();
            s.write(format!("{p}%").as_bytes());
        }
        assert_eq!(out.take(), "10%\n20%");
    }

    #[test]
    fn plain_print_is_exact_and_tracked() {
        let (mut s, out) = plain();
        s.print(b"hello  \n");
        s.print(b"a\tb");
        assert_eq!(s.cursor(), (4, 2));
        s.write(b"!");
        s.print(b"\n");
        assert_eq!(out.take(), "hello  \na\tb!\n");
        // Printing after a term.write on the same row continues it.
        s.write(b"Name: ");
        s.print(b"bob\n");
        assert_eq!(out.take(), "Name: bob\n");
        // Printing after moving to a row with text shows the text left of
        // the cursor first.
        s.set_cursor(1, 10);
        s.write(b"Total:");
        s.set_cursor(1, 11);
        s.set_cursor(8, 10);
        s.print(b"42\n");
        assert_eq!(out.take(), "Total:\nTotal: 42\n");
    }

    #[test]
    fn plain_print_scrolls_at_the_bottom() {
        let (mut s, out) = plain();
        for i in 0..25 {
            s.print(format!("{i}\n").as_bytes());
        }
        assert_eq!(s.cursor(), (1, 19));
        out.take();
        s.set_cursor(1, 18);
        s.write(b"24");
        // Row 18 shows "24" (printed, then scrolled up): nothing new.
        assert_eq!(out.take(), "");
    }

    #[test]
    fn plain_long_lines_are_kept() {
        let (mut s, out) = plain();
        let long = "x".repeat(120);
        s.write(long.as_bytes());
        assert_eq!(s.cursor(), (121, 1));
        assert_eq!(out.take(), long);
        s.set_cursor(-2, 2);
        s.write(b"abcd");
        s.set_cursor(1, 25);
        s.write(b"hidden");
        assert_eq!(out.take(), "\nd\n");
    }

    #[test]
    fn ansi_write_clips_and_colours() {
        let (mut s, out) = ansi(Depth::Ansi16);
        s.set_cursor(18, 2);
        s.write(b"abcdef");
        assert_eq!(out.take(), "\x1b[2;18Habc");
        assert_eq!(s.cursor(), (24, 2));
        s.set_fg(14);
        s.set_cursor(1, 3);
        s.write(b"red");
        assert_eq!(out.take(), "\x1b[3;1H\x1b[31mred\x1b[0m");
        s.blit(b"ab", b"0e", b"ff");
        assert_eq!(out.take(), "a\x1b[31mb\x1b[0m");
    }

    #[test]
    fn ansi_truecolor_palette_and_erase() {
        let (mut s, out) = ansi(Depth::TrueColor);
        s.set_bg(11);
        s.clear();
        assert_eq!(out.take(), "\x1b[48;2;51;102;204m\x1b[2J\x1b[0m");
        s.set_palette(11, 0x010203);
        s.clear_line();
        // The first drawing places the cursor: where it starts is unknown.
        assert_eq!(out.take(), "\x1b[1;1H\x1b[48;2;1;2;3m\x1b[2K\x1b[0m");
        s.scroll(2);
        s.scroll(-1);
        s.scroll(9);
        assert_eq!(
            out.take(),
            "\x1b[48;2;1;2;3m\x1b[2S\x1b[0m\x1b[48;2;1;2;3m\x1b[1T\x1b[0m\x1b[48;2;1;2;3m\x1b[2J\x1b[0m"
        );
    }

    #[test]
    fn ansi_print_tracks_cursor_and_blink() {
        let (mut s, out) = ansi(Depth::Mono);
        s.print(b"hi\nthere");
        assert_eq!(s.cursor(), (6, 2));
        assert_eq!(out.take(), "hi\nthere");
        s.set_blink(true);
        s.set_cursor(1, 1);
        assert_eq!(out.take(), "\x1b[?25h\x1b[1;1H");
        s.print(b"x");
        assert_eq!(out.take(), "x");
        s.set_blink(false);
        assert_eq!(out.take(), "\x1b[?25l");
        drop(s);
        assert_eq!(out.take(), "\x1b[?25h");
    }

    #[test]
    fn ansi_print_in_colour() {
        let (mut s, out) = ansi(Depth::Ansi16);
        s.set_fg(14);
        s.print(b"red\n");
        s.print(b"more");
        assert_eq!(out.take(), "\x1b[31mred\x1b[0m\n\x1b[31mmore\x1b[0m");
    }

    #[test]
    fn glyphs() {
        let mut out = Vec::new();
        for b in [b'A', 0xE9, 0x80, 0x95, 0x9F, 0x01, 0x7F] {
            glyph(b, &mut out);
        }
        assert_eq!(String::from_utf8(out).unwrap(), "Aé ▌\u{1FB1D}☺▒");
    }

    #[test]
    fn colour_256() {
        assert_eq!(nearest_256(0xCC4C4C), 167);
        assert_eq!(nearest_256(0x111111), 233);
        assert_eq!(nearest_256(0xF0F0F0), 255);
    }
}
