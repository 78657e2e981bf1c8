//! `cargo xtask bench <what>`: benchmarks.
//!
//! - `http`: a bare hyper "hello" server (a) against the runner serving
//!   `benches/lua/hello.lua` through `http.listen` (b), in the same run, with
//!   the load generator of `benches/`; see [`http`].

mod http;
mod options;
mod procfs;
mod server;
mod table;

const HELP: &str = "\
cargo xtask bench http [--duration SECS] [--warmup SECS] [--connections N]
                       [--runs N] [--only bare|runner]

  Builds bare-hyper, loadgen and craftos-http in release mode, then, for each
  run, serves a \"hello\" with (a) bare hyper and (b) the runner's http.listen
  (benches/lua/hello.lua), each pinned to core 0, and loads it from core 1
  with N keep-alive connections. Prints req/s, p50, p99, server CPU and
  requests per server CPU-second, medians over the runs, and the ratio b/a.

  --duration SECS   measured seconds per server and run (default 5)
  --warmup SECS     load before measuring (default 1)
  --connections N   keep-alive connections (default 50)
  --runs N          runs; medians are reported (default 3)
  --only bare       run (a) only (no runner build needed)
  --only runner     run (b) only
";

/// Entry point for `cargo xtask bench ARGS`; `Ok(false)` on a failed or
/// unusable benchmark (errors, non-200 responses, bad arguments).
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
