//! Integration tests of the real stack — Lua script, runner, core, hyper
//! transport — over real sockets on 127.0.0.1. One test binary; one module
//! per area. Helpers live in the `craftos_http_tests` library.

mod body_limit;
mod callbacks;
mod client;
mod computer_env;
mod concurrency;
mod deadline;
mod filters;
#[cfg(target_os = "linux")]
mod fs_races;
mod host;
mod malformed;
mod operator;
mod options;
mod process;
mod remote_memory;
mod runner_exit;
mod script_safety;
mod scripts;
mod static_site;
mod vanish;
