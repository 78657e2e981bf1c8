//! `cargo xtask bench <what>`: benchmarks.
//!
//! - `http`: a bare hyper "hello" server (a) and nginx + ngx_lua (when
//!   installed; see [`nginx`]) against the runner serving
//!   `benches/lua/hello.lua` through `http.listen` (b), in the same run, with
//!   the load generator of `benches/`, closed-loop and then open-loop; see
//!   [`http`].
//! - `ws`: a bare fastwebsockets echo server (a) against the runner serving
//!   `examples/ws-echo.lua` (b): echo round trips, and memory per idle
//!   client; see [`ws`].
//! - `host`: one host running N computers (1, 10, 100, 1000), each serving
//!   `benches/lua/hello.lua` on its own port, all loaded together:
//!   throughput, latency and memory per computer; see [`host`].

mod cells;
mod contenders;
mod cpu;
mod harness;
mod host;
mod http;
mod loadgen;
mod median;
mod nginx;
mod open_loop;
mod options;
mod procfs;
mod runs_table;
mod server;
pub(crate) mod soak;
mod table;
mod ws;

const HELP: &str = "\
cargo xtask bench http [--duration SECS] [--warmup SECS] [--connections N]
                       [--runs N] [--only bare|nginx|runner] [--open-loop F]

  Builds bare-hyper, loadgen and craftos-http in release mode, then, for each
  run, serves a \"hello\" with (a) bare hyper, nginx + ngx_lua when it is
  installed (apt-get install nginx libnginx-mod-http-lua lua-nginx-websocket;
  its own prefix under target/bench, in the foreground, one process) and (b)
  the runner's http.listen (benches/lua/hello.lua), each pinned to core 0,
  and loads it from core 1 with N keep-alive connections. Prints req/s, p50,
  p99, server CPU and requests per server CPU-second, medians over the runs,
  and the ratio of (b) to each other server. Then the open loop: every
  server again at F (default 0.5) of bare hyper's median req/s, latency from
  each request's intended send time: p50, p99, p99.9.

  --duration SECS   measured seconds per server and run (default 5)
  --warmup SECS     load before measuring (default 1)
  --connections N   keep-alive connections (default 50)
  --runs N          runs; medians are reported (default 3)
  --only bare       run (a) only (no runner build needed)
  --only nginx      run nginx + ngx_lua only
  --only runner     run (b) only
  --open-loop F     the open-loop rate as a fraction of (a)'s (default 0.5;
                    0: no open loop)

cargo xtask bench ws [--duration SECS] [--warmup SECS] [--connections N]
                     [--runs N] [--only bare|nginx|runner] [--idle N]

  Builds bare-ws-echo, ws-loadgen and craftos-http in release mode, then, for
  each run, echoes WebSocket messages with (a) a bare fastwebsockets server,
  nginx + lua-resty-websocket when installed (as for bench http) and (b) the
  runner's http.websocketServer (examples/ws-echo.lua), each
  pinned to core 0, loaded from core 1 by N connections doing round trips of
  a 16-byte text message. Prints round trips/s, p50, p99, server CPU and
  round trips per server CPU-second, medians over the runs, and the ratio
  b/a. Then, on a fresh server, opens N idle connections and prints the
  server's memory (VmRSS) per client.

  --duration, --warmup, --connections, --runs, --only   as for bench http
  --idle N          idle clients of the memory measurement (default 1000;
                    0: no memory measurement)

cargo xtask bench host [--computers N,N,...] [--duration SECS] [--warmup SECS]
                       [--connections N] [--runs N]

  Builds host-bench and loadgen in release mode, then, for each size N,
  starts one host (craftos_http_runner::host) running N computers, each serving
  benches/lua/hello.lua on a port of its own, pinned to core 0; reads its
  memory (VmRSS) once every port listens, and loads all N ports together
  from core 1 with max(--connections, N) keep-alive connections spread
  round-robin over them. An empty host is measured first. Prints per size:
  req/s in total, p50, p99, host CPU, boot time, RSS, RSS per computer over
  the empty host and per computer added since the previous size.

  --computers N,...  host sizes (default 1,10,100,1000)
  --duration SECS    measured seconds per size and run (default 5)
  --warmup SECS      load before measuring (default 1)
  --connections N    the fewest connections (default 50; at least one per
                     computer)
  --runs N           runs; medians are reported (default 1)
";

/// Entry point for `cargo xtask bench ARGS`; `Ok(false)` on a failed or
/// unusable benchmark (errors, non-200 responses, bad echoes, bad
/// arguments).
pub(crate) fn run(args: &[String]) -> anyhow::Result<bool> {
    match args.split_first() {
        Some((what, rest)) if what == "http" => {
            if rest.iter().any(|a| a == "--help" || a == "-h") {
                print!("{HELP}");
                return Ok(true);
            }
            let options = match options::HttpOptions::parse(rest) {
                Ok(options) => options,
                Err(err) => {
                    eprintln!("xtask bench http: {err:#}\n\n{HELP}");
                    return Ok(false);
                }
            };
            http::run(&options)
        }
        Some((what, rest)) if what == "ws" => {
            if rest.iter().any(|a| a == "--help" || a == "-h") {
                print!("{HELP}");
                return Ok(true);
            }
            let options = match ws::WsOptions::parse(rest) {
                Ok(options) => options,
                Err(err) => {
                    eprintln!("xtask bench ws: {err:#}\n\n{HELP}");
                    return Ok(false);
                }
            };
            ws::run(&options)
        }
        Some((what, rest)) if what == "host" => {
            if rest.iter().any(|a| a == "--help" || a == "-h") {
                print!("{HELP}");
                return Ok(true);
            }
            let options = match host::HostOptions::parse(rest) {
                Ok(options) => options,
                Err(err) => {
                    eprintln!("xtask bench host: {err:#}\n\n{HELP}");
                    return Ok(false);
                }
            };
            host::run(&options)
        }
        Some((what, _)) if what == "--help" || what == "-h" || what == "help" => {
            print!("{HELP}");
            Ok(true)
        }
        Some((what, _)) => {
            eprintln!("xtask bench: unknown benchmark `{what}`\n\n{HELP}");
            Ok(false)
        }
        None => {
            print!("{HELP}");
            Ok(false)
        }
    }
}
