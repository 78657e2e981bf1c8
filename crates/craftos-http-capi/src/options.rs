//! `craftos_http_options`: what a host is configured with, read from C.

use std::ffi::{CStr, c_char};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use craftos_http_core::Limits;
use craftos_http_hyper::TransportConfig;

/// `craftos_http_options` of `craftos_http.h`, field for field. Fields are
/// only ever appended: `size` says how many a program knows.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// `sizeof(craftos_http_options)` as the program was compiled.
    pub size: usize,
    /// The address listeners bind; NULL: `127.0.0.1`.
    pub bind: *const c_char,
    /// NULL-terminated origins WebSocket handshakes are accepted from;
    /// NULL: any.
    pub ws_origins: *const *const c_char,
    /// Socket threads (0: 1).
    pub io_threads: u32,
    /// Pending events per computer before back-pressure.
    pub event_bound: u32,
    /// Open connections per computer.
    pub max_connections: u32,
    /// Largest request body, bytes.
    pub max_body: u64,
    /// Request body bytes held per computer.
    pub max_buffered: u64,
    /// Largest WebSocket message, bytes.
    pub ws_max_message: u64,
    /// Bytes queued to a WebSocket client before `send` waits.
    pub ws_max_outbox: u64,
    /// Seconds a response may stay open.
    pub response_timeout: f64,
    /// Seconds a request body may stall.
    pub body_timeout: f64,
}

/// The most socket threads a host starts.
const MAX_IO_THREADS: u32 = 1024;
/// The most origins `ws_origins` may list (a missing NULL ends here).
const MAX_ORIGINS: usize = 4096;

impl Default for Options {
    fn default() -> Self {
        let limits = Limits::default();
        Options {
            size: size_of::<Options>(),
            bind: std::ptr::null(),
            ws_origins: std::ptr::null(),
            io_threads: 1,
            event_bound: limits.event_bound as u32,
            max_connections: limits.max_connections as u32,
            max_body: limits.max_body as u64,
            max_buffered: limits.max_buffered as u64,
            ws_max_message: limits.ws_max_message as u64,
            ws_max_outbox: limits.ws_max_outbox as u64,
            response_timeout: limits.response_timeout.as_secs_f64(),
            body_timeout: limits.body_read_timeout.as_secs_f64(),
        }
    }
}

/// What a host is built from.
pub(crate) struct HostConfig {
    pub(crate) transport: TransportConfig,
    pub(crate) limits: Limits,
    pub(crate) io_threads: usize,
}

impl Options {
    /// The options behind `ptr` (NULL: the defaults): the fields the
    /// program knows (its `size`), the defaults for the others.
    ///
    /// # Safety
    /// `ptr` is NULL or points to at least `ptr->size` readable bytes.
    pub(crate) unsafe fn read(ptr: *const Options) -> Result<Options, String> {
        let mut options = Options::default();
        if ptr.is_null() {
            return Ok(options);
        }
        // SAFETY: per the caller, the first field is readable.
        let size = unsafe { ptr.cast::<usize>().read_unaligned() };
        if size < size_of::<usize>() {
            return Err(format!(
                "craftos_http_options.size is {size}: fill the options with craftos_http_options_init"
            ));
        }
        let known = size.min(size_of::<Options>());
        // SAFETY: per the caller `known <= size` bytes are readable; the
        // destination is a whole `Options`; every bit pattern is a valid
        // `Options` (integers, floats, raw pointers).
        unsafe {
            std::ptr::copy_nonoverlapping(
                ptr.cast::<u8>(),
                (&mut options as *mut Options).cast::<u8>(),
                known,
            );
        }
        options.size = size_of::<Options>();
        Ok(options)
    }

    /// Checked, as the host uses them.
    ///
    /// # Safety
    /// `bind` and each of `ws_origins` are NULL or C strings;
    /// `ws_origins` is NULL or a NULL-terminated array.
    pub(crate) unsafe fn config(&self) -> Result<HostConfig, String> {
        let mut transport = TransportConfig::default();
        if !self.bind.is_null() {
            // SAFETY: per the caller.
            let text = unsafe { CStr::from_ptr(self.bind) }.to_string_lossy();
            transport.bind = text
                .parse::<IpAddr>()
                .map_err(|_| format!("bind: `{text}` is not an IP address"))?;
        }
        if !self.ws_origins.is_null() {
            let mut origins = Vec::new();
            for i in 0.. {
                if i == MAX_ORIGINS {
                    return Err(format!(
                        "ws_origins: more than {MAX_ORIGINS} entries (is it NULL-terminated?)"
                    ));
                }
                // SAFETY: per the caller, entries up to the NULL are readable.
                let entry = unsafe { *self.ws_origins.add(i) };
                if entry.is_null() {
                    break;
                }
                // SAFETY: per the caller.
                origins.push(
                    unsafe { CStr::from_ptr(entry) }
                        .to_string_lossy()
                        .into_owned(),
                );
            }
            transport.ws_origins = Some(Arc::from(origins));
        }
        let io_threads = match self.io_threads {
            0 => 1,
            n if n > MAX_IO_THREADS => {
                return Err(format!("io_threads: {n} is more than {MAX_IO_THREADS}"));
            }
            n => n as usize,
        };
        let limits = Limits {
            max_body: bytes("max_body", self.max_body)?,
            response_timeout: seconds("response_timeout", self.response_timeout, true)?,
            event_bound: at_least_one("event_bound", self.event_bound)?,
            ws_max_message: at_least_one_64("ws_max_message", self.ws_max_message)?,
            max_connections: at_least_one("max_connections", self.max_connections)?,
            body_read_timeout: seconds("body_timeout", self.body_timeout, false)?,
            max_buffered: bytes("max_buffered", self.max_buffered)?,
            ws_max_outbox: at_least_one_64("ws_max_outbox", self.ws_max_outbox)?,
        };
        Ok(HostConfig {
            transport,
            limits,
            io_threads,
        })
    }
}

fn bytes(name: &str, value: u64) -> Result<usize, String> {
    usize::try_from(value).map_err(|_| format!("{name}: {value} does not fit in memory"))
}

fn at_least_one(name: &str, value: u32) -> Result<usize, String> {
    if value == 0 {
        return Err(format!("{name} must be at least 1"));
    }
    Ok(value as usize)
}

fn at_least_one_64(name: &str, value: u64) -> Result<usize, String> {
    if value == 0 {
        return Err(format!("{name} must be at least 1"));
    }
    bytes(name, value)
}

fn seconds(name: &str, value: f64, zero_ok: bool) -> Result<Duration, String> {
    if !value.is_finite() || value < 0.0 || (value == 0.0 && !zero_ok) {
        let want = if zero_ok { "0 or more" } else { "more than 0" };
        return Err(format!(
            "{name}: {value} is not a number of seconds ({want})"
        ));
    }
    Duration::try_from_secs_f64(value).map_err(|_| format!("{name}: {value} seconds is too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_cores() {
        // SAFETY: NULL is the defaults.
        let config = unsafe { Options::read(std::ptr::null()).unwrap().config() }.unwrap();
        assert_eq!(config.limits, Limits::default());
        assert_eq!(config.transport.bind.to_string(), "127.0.0.1");
        assert_eq!(config.io_threads, 1);
    }

    #[test]
    fn an_older_program_gets_defaults_for_the_fields_it_does_not_know() {
        // A program that knows the fields up to `io_threads` only, and
        // leaves garbage after them.
        let old = Options {
            io_threads: 3,
            event_bound: 0,
            size: std::mem::offset_of!(Options, event_bound),
            ..Options::default()
        };
        // SAFETY: a whole `Options` is readable.
        let options = unsafe { Options::read(&old) }.unwrap();
        assert_eq!(options.io_threads, 3);
        assert_eq!(options.event_bound, 256);
        assert_eq!(options.size, size_of::<Options>());
    }

    #[test]
    fn bad_values_are_refused_with_their_name() {
        let zeroed = Options {
            size: 0,
            ..Options::default()
        };
        // SAFETY: a whole `Options` is readable.
        let err = unsafe { Options::read(&zeroed) }.unwrap_err();
        assert!(err.contains("craftos_http_options_init"), "{err}");

        let check = |f: &dyn Fn(&mut Options)| {
            let mut o = Options::default();
            f(&mut o);
            // SAFETY: no pointers set but static C strings.
            unsafe { o.config() }.err().unwrap_or_default()
        };
        assert!(check(&|o| o.bind = c"example".as_ptr()).starts_with("bind:"));
        assert!(check(&|o| o.event_bound = 0).starts_with("event_bound"));
        assert!(check(&|o| o.body_timeout = 0.0).starts_with("body_timeout"));
        assert!(check(&|o| o.response_timeout = f64::NAN).starts_with("response_timeout"));
        assert!(check(&|o| o.io_threads = 5000).starts_with("io_threads"));
        assert_eq!(check(&|o| o.response_timeout = 0.0), "");
    }

    #[test]
    fn origins_are_copied_up_to_the_null() {
        let origins = [c"http://a.example".as_ptr(), std::ptr::null()];
        let o = Options {
            ws_origins: origins.as_ptr(),
            bind: c"::".as_ptr(),
            ..Options::default()
        };
        // SAFETY: static C strings, NULL-terminated.
        let config = unsafe { o.config() }.unwrap();
        assert_eq!(
            config.transport.ws_origins.as_deref(),
            Some(&["http://a.example".to_owned()][..])
        );
        assert!(config.transport.bind.is_ipv6());
    }
}
