//! The `craftos-http` binary's exit statuses and stderr (X1, X3).

use std::time::Duration;

use craftos_http_tests::binary::{self, Process};
use craftos_http_tests::port::{free_port, wait_for_port};
use craftos_http_tests::{STEP, raw};

const LIMIT: Duration = Duration::from_secs(20);

#[test]
fn script_that_returns_exits_0() {
    let exit = binary::run(
        "returns.lua",
        "local a, b = ...\nif a ~= 'one' or b ~= '2' then error('bad args: ' .. tostring(a)) end\nreturn",
        &["one", "2"],
        LIMIT,
    );
    assert_eq!(exit.code, Some(0), "{exit:?}");
    assert_eq!(exit.stderr, "", "{exit:?}");
}

#[test]
fn os_shutdown_exits_0() {
    let exit = binary::run(
        "shutdown.lua",
        "os.shutdown()\nerror('still running')",
        &[],
        LIMIT,
    );
    assert_eq!(exit.code, Some(0), "{exit:?}");
}

#[test]
fn error_exits_1_with_the_message_on_stderr() {
    let exit = binary::run("raises.lua", "error(\"x\")\n", &[], LIMIT);
    assert_eq!(exit.code, Some(1), "{exit:?}");
    assert!(
        exit.stderr.contains("raises.lua:1: x"),
        "the message with its position must be on stderr: {exit:?}"
    );
}

#[test]
fn syntax_error_exits_1() {
    let exit = binary::run("syntax.lua", "local = = 1\n", &[], LIMIT);
    assert_eq!(exit.code, Some(1), "{exit:?}");
    assert!(exit.stderr.contains("syntax.lua:1:"), "{exit:?}");
}

#[test]
fn terminate_event_exits_130() {
    let exit = binary::run(
        "terminate.lua",
        "os.queueEvent(\"terminate\")\nos.pullEvent()\nerror(\"not terminated\")\n",
        &[],
        LIMIT,
    );
    assert_eq!(exit.code, Some(130), "{exit:?}");
}

#[test]
fn sigint_during_listen_exits_130() {
    let port = free_port();
    let mut process = Process::spawn(
        "sigint.lua",
        "http.listen(tonumber((...)), function(req, res) res.write('up') res.close() end)\n\
         error('http.listen returned')\n",
        &[&port.to_string()],
    );
    assert!(
        wait_for_port(port, STEP, || process.has_exited()),
        "the script did not listen on {port}"
    );
    // It serves, then Ctrl-C ends it.
    assert_eq!(raw::get(port, "/").text(), "up");
    process.interrupt();
    let exit = process.wait(LIMIT);
    assert_eq!(exit.code, Some(130), "{exit:?}");
}
