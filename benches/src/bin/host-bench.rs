//! `host-bench --computers N --base PORT [--script LUA] [--io-threads N]`
//!
//! The server side of `cargo xtask bench host`: one
//! [`Host`] running N computers, computer `i`
//! (id `i`) serving the script (default `benches/lua/hello.lua`) on port
//! `PORT + i`, all on one transport and one thread. Prints `ready` on stdout
//! once every port accepts connections, then serves until it is killed or
//! its stdin closes (then it shuts every computer down and exits).

use std::io::{BufRead as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Parser;
use craftos_http_benches::ws::nofile;
use craftos_http_runner::ComputerSpec;
use craftos_http_runner::host::{Host, HostConfig, HostHandle};

/// Open files besides two per computer (its listener and one connection).
const SPARE_FILES: u64 = 256;

/// How long all the computers may take to listen, on top of
/// [`READY_PER_COMPUTER`] each.
const READY_LIMIT: Duration = Duration::from_secs(30);
const READY_PER_COMPUTER: Duration = Duration::from_millis(50);

/// N computers on one host, each serving the script on a port of its own.
#[derive(Debug, Parser)]
#[command(name = "host-bench")]
struct Args {
    /// Computers (ids 0 to N-1); 0 runs the empty host.
    #[arg(long, default_value_t = 1)]
    computers: u16,
    /// The port of computer 0; computer i listens on BASE + i (127.0.0.1).
    #[arg(long)]
    base: u16,
    /// The script every computer runs, given its port as its argument.
    #[arg(long, default_value = "benches/lua/hello.lua")]
    script: PathBuf,
    /// Threads serving the sockets (0: the host's own thread, as the
    /// runner's default).
    #[arg(long, default_value_t = 0)]
    io_threads: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let n = args.computers;
    anyhow::ensure!(
        u32::from(args.base) + u32::from(n) <= 65536 && (n == 0 || args.base > 0),
        "ports {} to {} do not fit",
        args.base,
        u32::from(args.base) + u32::from(n)
    );
    nofile::raise(2 * u64::from(n) + SPARE_FILES);
    let template = ComputerSpec::from_file(0, &args.script)
        .with_context(|| format!("reading {}", args.script.display()))?;
    let host = Host::new(HostConfig {
        io_threads: args.io_threads,
        ..HostConfig::default()
    })
    .context("starting the host")?;
    let handle = host.handle();
    std::thread::Builder::new()
        .name("host-bench control".into())
        .spawn(move || control(&handle, &template, args.base, n))
        .context("spawning the control thread")?;
    host.run();
    Ok(())
}

/// Start the computers, wait for their ports, say `ready`, then stop the
/// host when stdin closes. Exits the process on failure.
fn control(handle: &HostHandle, template: &ComputerSpec, base: u16, n: u16) {
    for i in 0..n {
        let mut spec = template.clone();
        spec.id = u32::from(i);
        spec.args = vec![(base + i).to_string()];
        if let Err(err) = handle.start(spec) {
            eprintln!("host-bench: computer {i} did not start: {err}");
            std::process::exit(1);
        }
    }
    let deadline = Instant::now() + READY_LIMIT + READY_PER_COMPUTER * u32::from(n);
    for i in 0..n {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, base + i));
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if Instant::now() >= deadline {
                eprintln!("host-bench: computer {i} does not listen on {addr}");
                std::process::exit(1);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    println!("ready");
    let _ = std::io::stdout().flush();
    eprintln!(
        "host-bench: {n} computers listening on ports {base} to {}",
        u32::from(base) + u32::from(n).saturating_sub(1)
    );
    // Until stdin closes (or the process is killed).
    for line in std::io::stdin().lock().lines() {
        if line.is_err() {
            break;
        }
    }
    handle.stop();
}
