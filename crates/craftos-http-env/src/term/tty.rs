//! What the process's stdout is: a terminal or not, its size, its colours.

use std::io::IsTerminal;

use super::screen::Depth;

/// Whether stdout is a terminal.
pub(crate) fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// The colours the terminal shows, from the environment: none with
/// `NO_COLOR` (non-empty) or `TERM=dumb`, 24-bit with `COLORTERM=truecolor`
/// or `24bit`, 256 with a `TERM` naming `256color`, else 16.
pub(crate) fn colour_depth() -> Depth {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    depth_from(&var("NO_COLOR"), &var("COLORTERM"), &var("TERM"))
}

fn depth_from(no_color: &str, colorterm: &str, term: &str) -> Depth {
    if !no_color.is_empty() || term == "dumb" {
        Depth::Mono
    } else if matches!(colorterm, "truecolor" | "24bit") {
        Depth::TrueColor
    } else if term.contains("256color") {
        Depth::Ansi256
    } else {
        Depth::Ansi16
    }
}

/// The size of the terminal on stdout (columns, rows).
pub(crate) fn stdout_size() -> Option<(i64, i64)> {
    sys::size(1).map(|(c, r)| (i64::from(c), i64::from(r)))
}

#[cfg(unix)]
mod sys {
    use std::ffi::{c_int, c_ulong};

    #[repr(C)]
    #[derive(Default)]
    struct Winsize {
        ws_row: u16,
        ws_col: u16,
        ws_xpixel: u16,
        ws_ypixel: u16,
    }

    unsafe extern "C" {
        fn ioctl(fd: c_int, request: c_ulong, ...) -> c_int;
    }

    #[cfg(all(
        any(target_os = "linux", target_os = "android"),
        not(any(
            target_arch = "mips",
            target_arch = "mips64",
            target_arch = "powerpc",
            target_arch = "powerpc64",
            target_arch = "sparc64"
        ))
    ))]
    const TIOCGWINSZ: c_ulong = 0x5413;
    #[cfg(not(all(
        any(target_os = "linux", target_os = "android"),
        not(any(
            target_arch = "mips",
            target_arch = "mips64",
            target_arch = "powerpc",
            target_arch = "powerpc64",
            target_arch = "sparc64"
        ))
    )))]
    const TIOCGWINSZ: c_ulong = 0x40087468;

    /// The window size of the terminal on `fd` (columns, rows).
    pub(super) fn size(fd: c_int) -> Option<(u16, u16)> {
        let mut ws = Winsize::default();
        // SAFETY: TIOCGWINSZ writes one `struct winsize` through the pointer.
        let r = unsafe { ioctl(fd, TIOCGWINSZ, &mut ws as *mut Winsize) };
        (r == 0 && ws.ws_col > 0 && ws.ws_row > 0).then_some((ws.ws_col, ws.ws_row))
    }
}

#[cfg(not(unix))]
mod sys {
    pub(super) fn size(_fd: i32) -> Option<(u16, u16)> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depths() {
        assert_eq!(depth_from("1", "truecolor", "xterm"), Depth::Mono);
        assert_eq!(depth_from("", "", "dumb"), Depth::Mono);
        assert_eq!(depth_from("", "24bit", "xterm"), Depth::TrueColor);
        assert_eq!(depth_from("", "", "xterm-256color"), Depth::Ansi256);
        assert_eq!(depth_from("", "", "xterm"), Depth::Ansi16);
    }
}
