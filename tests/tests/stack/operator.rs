//! What an operator sees of the `craftos-http` binary (issue 15): usage
//! errors before the script runs (exit status 2, a message saying what to
//! do), `--bind` with a host name, a bind failure naming its port,
//! `Terminated` when terminate ends the run, and the log on stderr: the
//! access log under `-v`, warnings (413, the response deadline) without it,
//! and no colour escapes when stderr is not a terminal.

use std::time::Duration;

use craftos_http_tests::STEP;
use craftos_http_tests::binary::Process;
use craftos_http_tests::port::{free_port, wait_for_port};
use craftos_http_tests::raw;

use crate::process::{Exit, Runner, serve};

const PRINTS: &str = "print(\"ran\")\n";

/// Run the binary with `options` (and `args` after the script) on a script
/// that only prints; it must refuse to start, with exit status 2.
fn usage_error(options: &[&str], args: &[&str]) -> String {
    let exit = Runner::spawn_with(options, "prints.lua", PRINTS, args).wait(STEP);
    assert_eq!(exit.code, Some(2), "{options:?} was accepted: {exit:?}");
    assert!(!exit.stdout.contains("ran"), "{options:?}: the script ran");
    assert!(!exit.stderr.contains("panicked"), "{options:?}: {exit:?}");
    exit.stderr
}

#[test]
fn a_port_option_before_the_script_says_where_the_port_goes() {
    for options in [&["--port", "9000"][..], &["--port=9000"]] {
        let stderr = usage_error(options, &[]);
        assert!(
            stderr.contains("craftos-http has no --port option")
                && stderr.contains("the port is the script's argument: craftos-http SCRIPT 9000"),
            "{options:?}: {stderr}"
        );
    }
    // Any other option the runner lacks is named, not taken for a script.
    let stderr = usage_error(&["--threads", "4"], &[]);
    assert!(
        stderr.contains("craftos-http has no --threads option") && !stderr.contains("os error"),
        "{stderr}"
    );
}

#[test]
fn a_script_that_is_not_a_file_is_a_usage_error() {
    let exit = Runner::spawn_with(&[], "prints.lua", PRINTS, &[]).wait(STEP);
    assert_eq!(exit.code, Some(0), "{exit:?}");
    // The script's own name is taken as given: a missing one, or a directory.
    let missing = Runner::spawn_with(&["missing.lua"], "prints.lua", PRINTS, &[]).wait(STEP);
    assert_eq!(missing.code, Some(2), "{missing:?}");
    assert!(
        missing
            .stderr
            .contains("the script missing.lua does not exist"),
        "{missing:?}"
    );
    let dir = Runner::spawn_with(&["."], "prints.lua", PRINTS, &[]).wait(STEP);
    assert_eq!(dir.code, Some(2), "{dir:?}");
    assert!(dir.stderr.contains("is not a file"), "{dir:?}");
}

#[test]
fn root_must_be_an_existing_directory() {
    let stderr = usage_error(&["--root", "/nonexistent/craftos-http-root"], &[]);
    assert!(
        stderr.contains("--root") && stderr.contains("no such directory"),
        "{stderr}"
    );
    let stderr = usage_error(&["--root", "prints.lua"], &[]);
    assert!(
        stderr.contains("--root") && stderr.contains("not a directory"),
        "{stderr}"
    );
    // An existing directory is fine.
    let exit = Runner::spawn_with(&["--root", "."], "prints.lua", PRINTS, &[]).wait(STEP);
    assert_eq!(
        (exit.code, exit.stdout.as_str()),
        (Some(0), "ran\n"),
        "{exit:?}"
    );
}

/// Answers one request with `hello`, then ends.
const ONCE: &str = "http.listen(tonumber((...)), function(req, res)\n\
                      res.write(\"hello\") res.close() return true\n\
                    end)\n";

#[test]
fn bind_takes_a_host_name_of_this_machine() {
    let port = free_port();
    // `localhost` binds its IPv4 address, where clients (and the default) are.
    let server = serve("once.lua", ONCE, &["--bind", "localhost"], port);
    assert_eq!(raw::get(port, "/").text(), "hello");
    let exit = server.wait(STEP);
    assert_eq!(exit.code, Some(0), "{exit:?}");

    let stderr = usage_error(&["--bind", "no-such-host.invalid"], &[]);
    assert!(
        stderr.contains("--bind") && stderr.contains("not an IP address, nor a host name"),
        "{stderr}"
    );
}

#[test]
fn a_port_another_process_holds_is_named_in_the_error() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let port = held.local_addr().expect("its address").port();
    let exit = Runner::spawn_with(
        &[],
        "busy.lua",
        "http.addListener(tonumber((...)))\n",
        &[&port.to_string()],
    )
    .wait(STEP);
    assert_eq!(exit.code, Some(1), "{exit:?}");
    let expected =
        format!("busy.lua:1: Could not open server: Address already in use (port {port})");
    assert!(exit.stderr.contains(&expected), "{exit:?}");
    drop(held);
}

#[test]
fn terminate_prints_terminated_on_stderr() {
    let mut process = Process::spawn("waits.lua", "print(\"ready\")\nsleep(30)\n", &[]);
    assert!(
        process.wait_stdout("ready\n", STEP),
        "the script did not start"
    );
    process.interrupt();
    let exit = process.wait(STEP);
    assert_eq!(exit.code, Some(130), "{exit:?}");
    assert_eq!(exit.stderr, "Terminated\n", "{exit:?}");

    // A script that catches terminate and returns ends as it likes.
    let mut process = Process::spawn(
        "catches.lua",
        "print(\"ready\")\nlocal ev = os.pullEventRaw(\"terminate\")\nprint(\"got \" .. ev)\n",
        &[],
    );
    assert!(
        process.wait_stdout("ready\n", STEP),
        "the script did not start"
    );
    process.interrupt();
    let exit = process.wait(STEP);
    assert_eq!(exit.code, Some(0), "{exit:?}");
    assert_eq!(exit.stdout, "ready\ngot terminate\n", "{exit:?}");
    assert_eq!(exit.stderr, "", "{exit:?}");
}

/// Serves until `/stop`; `/slow` is never answered (the deadline sends it).
const SERVER: &str = r#"
http.listen(tonumber((...)), function(req, res)
  local url = req.getURL()
  if url == "/slow" then return end
  local body = req.readAll()
  res.write(url == "/stop" and "bye" or ("got " .. #body))
  res.close()
  return url == "/stop"
end)
"#;

/// The access log lines of `stderr`.
fn access_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains("craftos_http_hyper::access"))
        .collect()
}

fn assert_plain(exit: &Exit) {
    assert!(
        !exit.stderr.contains('\x1b'),
        "colour escapes in a pipe: {:?}",
        exit.stderr
    );
}

#[test]
fn verbose_is_an_access_log_without_colour_in_a_pipe() {
    let port = free_port();
    let server = serve("server.lua", SERVER, &["-v"], port);
    assert_eq!(raw::get(port, "/a%20b?q=1").text(), "got 0");
    assert_eq!(
        raw::request(port, "POST", "/form", b"12345").text(),
        "got 5"
    );
    assert_eq!(raw::get(port, "/stop").text(), "bye");
    let exit = server.wait(Duration::from_secs(5));
    assert_eq!(exit.code, Some(0), "{exit:?}");
    assert_plain(&exit);
    let lines = access_lines(&exit.stderr);
    assert_eq!(lines.len(), 3, "one line per request: {}", exit.stderr);
    // peer "METHOD TARGET" STATUS BYTES MSms port=PORT
    for (line, request, status_bytes) in [
        (lines[0], "\"GET /a%20b?q=1\"", " 200 5 "),
        (lines[1], "\"POST /form\"", " 200 5 "),
        (lines[2], "\"GET /stop\"", " 200 3 "),
    ] {
        assert!(line.contains(" INFO "), "{line}");
        assert!(line.contains(" 127.0.0.1:"), "the peer: {line}");
        assert!(line.contains(request), "{request}: {line}");
        assert!(line.contains(status_bytes), "{status_bytes}: {line}");
        assert!(line.contains("ms port="), "{line}");
        assert!(line.ends_with(&format!("port={port}")), "{line}");
    }
    assert!(
        exit.stderr
            .contains(&format!("listening port={port} computer=0")),
        "{}",
        exit.stderr
    );
}

#[test]
fn warnings_are_on_by_default_and_the_access_log_is_not() {
    let port = free_port();
    let server = serve(
        "server.lua",
        SERVER,
        &["--max-body", "4", "--response-timeout", "1"],
        port,
    );
    // Over --max-body: 413 and a warning (no event).
    let too_large = raw::request(port, "POST", "/big", b"0123456789");
    assert_eq!(too_large.status, 413);
    // Never closed: sent as it stands at the deadline (an empty 200, S8),
    // with a warning naming the request.
    let slow = raw::get(port, "/slow");
    assert_eq!((slow.status, slow.body.len()), (200, 0));
    assert_eq!(raw::get(port, "/stop").text(), "bye");
    let exit = server.wait(Duration::from_secs(5));
    assert_eq!(exit.code, Some(0), "{exit:?}");
    assert_plain(&exit);
    assert!(access_lines(&exit.stderr).is_empty(), "{}", exit.stderr);
    assert!(
        exit.stderr.contains("WARN") && exit.stderr.contains("(4 bytes): answered 413"),
        "{}",
        exit.stderr
    );
    assert!(
        exit.stderr
            .contains("response to GET /slow not closed within 1s: sent as it stands (status 200, 0 bytes written"),
        "{}",
        exit.stderr
    );
}

#[test]
fn the_access_log_shows_what_a_filter_skipped() {
    // The request a sleeping callback's filter skips is answered 503 (on
    // main already); the log shows both requests with their statuses.
    let port = free_port();
    let mut process = Process::spawn_with(
        &["-v"],
        "sleepy.lua",
        r#"
http.listen(tonumber((...)), function(req, res)
  if req.getURL() == "/stop" then res.close() return true end
  sleep(0.5)
  res.write("slept")
  res.close()
end)
"#,
        &[&port.to_string()],
    );
    assert!(wait_for_port(port, STEP, || process.has_exited()));
    let first = std::thread::spawn(move || raw::get(port, "/first"));
    std::thread::sleep(Duration::from_millis(150));
    let second = raw::get(port, "/second");
    assert_eq!(second.status, 503);
    assert_eq!(first.join().expect("first").text(), "slept");
    assert_eq!(raw::get(port, "/stop").status, 200);
    let exit = process.wait(STEP);
    assert_eq!(exit.code, Some(0), "{exit:?}");
    let lines = access_lines(&exit.stderr);
    assert!(
        lines.iter().any(|l| l.contains("\"GET /second\" 503 ")),
        "{}",
        exit.stderr
    );
    assert!(
        lines.iter().any(|l| l.contains("\"GET /first\" 200 5 ")),
        "{}",
        exit.stderr
    );
}
