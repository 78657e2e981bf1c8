//! `craftos-http [OPTIONS] SCRIPT [ARGS...]`: run a Lua script as a
//! ComputerCraft computer with CraftOS-PC's HTTP server API.

use std::ffi::OsString;
use std::net::{IpAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use craftos_http_hyper::{Limits, TransportConfig};
use craftos_http_runner::{Outcome, RunnerConfig, run};

/// The runner's allocator: mimalloc, whose small allocations cost a
/// fraction of glibc's (a request makes about twenty, in Lua and in Rust;
/// glibc's malloc and free were 15 % of a "hello"'s instructions). Built
/// with `no_thp` (see Cargo.toml), its resident memory is glibc's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Run SCRIPT as a ComputerCraft computer with CraftOS-PC's `http` server
/// API (`http.listen`, `http.addListener`, ...). Exits 0 when the script
/// returns, 1 when it raises, 130 when terminated (Ctrl-C).
#[derive(Parser, Debug)]
#[command(
    name = "craftos-http",
    version,
    override_usage = "craftos-http [OPTIONS] SCRIPT [ARGS]..."
)]
struct Cli {
    /// Address listeners bind (use 0.0.0.0 or :: to serve other machines);
    /// a host name binds the first address it resolves to (IPv4 first).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1", value_parser = bind_address)]
    bind: IpAddr,
    /// Largest request body accepted; larger ones get 413.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_body)]
    max_body: usize,
    /// Seconds a response may stay open before what was written is sent.
    #[arg(long, value_name = "SECS", default_value = "15", value_parser = seconds)]
    response_timeout: Duration,
    /// Pending events before new requests wait (and get 503 at the deadline).
    #[arg(long, value_name = "N", default_value_t = Limits::default().event_bound)]
    event_bound: usize,
    /// Seconds the script may run without yielding before the error "Too
    /// long without yielding" is raised in it (CraftOS-PC's abortTimeout).
    #[arg(long, value_name = "SECS", default_value = "17", value_parser = seconds)]
    abort_timeout: Duration,
    /// The most memory the script's Lua state may hold; an allocation past
    /// it raises "not enough memory" in the script.
    #[arg(long, value_name = "BYTES", default_value_t = craftos_http_runner::MEMORY_LIMIT)]
    memory_limit: usize,
    /// Open connections (HTTP and WebSocket) at once; more get 503.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// Threads serving sockets. 0 (the default) serves them on the script's
    /// own thread between its turns: the fastest, but while the script runs
    /// without yielding, its sockets wait (and so do response deadlines).
    /// N > 0 serves them on N threads of their own.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = io_threads)]
    io_threads: usize,
    /// The directory `fs` is rooted at (default: the script's directory).
    #[arg(long, value_name = "DIR", value_parser = existing_dir)]
    root: Option<PathBuf>,
    /// Largest WebSocket message, either way; larger incoming ones close the
    /// connection with 1009.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().ws_max_message)]
    ws_max_message: usize,
    /// Bytes of messages queued to one WebSocket client and not yet taken
    /// by it before `send` waits for it (a message always fits an empty
    /// queue).
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().ws_max_outbox)]
    ws_max_outbox: usize,
    /// Seconds a request body may go without sending a byte; a stalled body
    /// gets 408 and its connection is closed.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = seconds)]
    body_timeout: Duration,
    /// Request body bytes held at once (being received or waiting for the
    /// response); a body that would go over gets 503.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_buffered)]
    max_buffered: usize,
    /// Accept WebSocket handshakes only from this Origin (repeat for more;
    /// default: any origin).
    #[arg(long = "ws-origin", value_name = "ORIGIN")]
    ws_origins: Vec<String>,
    /// The computer's id (os.getComputerID()).
    #[arg(long, value_name = "N", default_value_t = 0)]
    id: u32,
    /// The computer's label (os.getComputerLabel()).
    #[arg(long)]
    label: Option<String>,
    /// Serve over the in-memory transport instead of TCP, its clients
    /// driven through a control socket created at PATH (used by `cargo xtask
    /// conformance --transport memory`).
    #[arg(long, value_name = "PATH", hide_short_help = true)]
    memory_socket: Option<PathBuf>,
    /// Log each request to stderr (an access log: method, target, status,
    /// bytes, milliseconds, peer); -vv adds listeners and connections, -vvv
    /// everything. Warnings are always shown. RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
    /// The Lua script to run, then the arguments passed to it as `...`.
    /// Everything after SCRIPT is the script's, options too (`server.lua
    /// --root x -v` hands `--root x -v` to the script).
    #[arg(
        value_name = "SCRIPT",
        required = true,
        num_args = 1..,
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    command: Vec<OsString>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    check_script(&cli.command);
    init_logging(cli.verbose);
    let mut command = cli.command.into_iter();
    let script = PathBuf::from(command.next().unwrap_or_default());
    // Arguments reach the script as strings (bytes that are not UTF-8
    // become U+FFFD).
    let args: Vec<String> = command.map(|a| a.to_string_lossy().into_owned()).collect();
    let root = cli
        .root
        .clone()
        .unwrap_or_else(|| craftos_http_runner::default_root(&script));
    let config = RunnerConfig {
        env: craftos_http_runner::EnvConfig { root },
        script,
        args,
        transport: TransportConfig {
            bind: cli.bind,
            ws_origins: (!cli.ws_origins.is_empty()).then(|| cli.ws_origins.clone().into()),
        },
        limits: Limits {
            max_body: cli.max_body,
            response_timeout: cli.response_timeout,
            event_bound: cli.event_bound,
            ws_max_message: cli.ws_max_message,
            max_connections: cli.max_connections,
            body_read_timeout: cli.body_timeout,
            max_buffered: cli.max_buffered,
            ws_max_outbox: cli.ws_max_outbox,
        },
        id: cli.id,
        label: cli.label,
        handle_sigint: true,
        io_threads: cli.io_threads,
        memory_socket: cli.memory_socket,
        abort_timeout: cli.abort_timeout,
        memory_limit: cli.memory_limit,
    };
    match run(config) {
        Ok(outcome) => {
            match &outcome {
                Outcome::Failed(message) => eprintln!("{message}"),
                // As CraftOS-PC's shell reports a terminated program.
                Outcome::Terminated => eprintln!("Terminated"),
                Outcome::Finished => {}
            }
            ExitCode::from(outcome.exit_code() as u8)
        }
        Err(message) => {
            eprintln!("craftos-http: {message}");
            ExitCode::FAILURE
        }
    }
}

/// SCRIPT must be a file. The runner's options go before it, so an option
/// there is one the runner does not have (clap takes it for SCRIPT, since
/// everything from SCRIPT on is the script's): say so, with a hint for the
/// option people try first. A usage error: exit status 2, as clap's own.
fn check_script(command: &[OsString]) {
    let Some(first) = command.first() else {
        return;
    };
    let path = Path::new(first);
    if path.is_file() {
        return;
    }
    let text = first.to_string_lossy();
    let message = if text.starts_with('-') && text.len() > 1 {
        let (name, value) = match text.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (&*text, None),
        };
        if matches!(name, "--port" | "-p") {
            let port = value
                .or_else(|| command.get(1).map(|v| v.to_string_lossy().into_owned()))
                .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                .unwrap_or_else(|| "PORT".to_owned());
            format!(
                "craftos-http has no {name} option; the port is the script's argument: \
                 craftos-http SCRIPT {port}"
            )
        } else {
            format!(
                "craftos-http has no {name} option (--help lists them; they go before \
                 SCRIPT, and everything after SCRIPT is the script's)"
            )
        }
    } else if path.exists() {
        format!("the script {text} is not a file")
    } else {
        format!("the script {text} does not exist")
    };
    Cli::command()
        .error(ErrorKind::InvalidValue, message)
        .exit();
}

/// `--bind`: an IP address, or a host name this machine resolves (its first
/// IPv4 address, else its first address: `localhost` is 127.0.0.1, the
/// address clients try and the default's).
fn bind_address(text: &str) -> Result<IpAddr, String> {
    if let Ok(ip) = text.trim().parse::<IpAddr>() {
        return Ok(ip);
    }
    let resolved: Vec<IpAddr> = (text.trim(), 0)
        .to_socket_addrs()
        .map_err(|e| format!("not an IP address, nor a host name this machine resolves ({e})"))?
        .map(|a| a.ip())
        .collect();
    resolved
        .iter()
        .find(|ip| ip.is_ipv4())
        .or(resolved.first())
        .copied()
        .ok_or_else(|| "the host name resolves to no address".to_owned())
}

/// `--root`: a directory that exists.
fn existing_dir(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_dir() => Ok(path),
        Ok(_) => Err("not a directory".to_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("no such directory".to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

/// The longest duration an option takes: about 31 years, far from where
/// deadlines computed from it would overflow.
const MAX_SECS: f64 = 1e9;

/// A duration option: a positive number of seconds, at most [`MAX_SECS`].
fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    if !(secs.is_finite() && secs > 0.0 && secs <= MAX_SECS) {
        return Err(format!(
            "must be a positive number of seconds, at most {MAX_SECS:e}"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// The most `--io-threads` takes (each is an OS thread, started at once).
const MAX_IO_THREADS: usize = 1024;

/// `--io-threads`: 0 to [`MAX_IO_THREADS`].
fn io_threads(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n <= MAX_IO_THREADS => Ok(n),
        _ => Err(format!("must be a whole number from 0 to {MAX_IO_THREADS}")),
    }
}

fn init_logging(verbose: u8) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    // Warnings (413, 503, deadlines, requests a filter skipped) are shown
    // by default; -v adds the access log (one info line per request), -vv
    // listeners and connections, -vvv everything.
    let default = match verbose {
        0 => "warn",
        1 => {
            "craftos_http_hyper=info,craftos_http_lua=info,craftos_http_env=info,\
             craftos_http_runner=info,warn"
        }
        2 => {
            "craftos_http_hyper=debug,craftos_http_lua=debug,craftos_http_env=debug,\
             craftos_http_runner=debug,warn"
        }
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(verbose > 0);
    if verbose == 0 {
        builder.without_time().init();
    } else {
        builder.init();
    }
}
