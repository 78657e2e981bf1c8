//! What a script cannot do to the process that runs it (issue 10): crash it
//! with bytecode, exhaust its memory, or lose what it wrote when the
//! process is stopped by a signal.
//!
//! - SIGTERM and SIGHUP are a `terminate`, as SIGINT is: a script that
//!   yields ends with 130 and its open files flushed; a second signal
//!   within 2 s stops even a script that never yields, and what it wrote
//!   is still flushed;
//! - a SCRIPT file that is Lua bytecode is refused (status 1, the message),
//!   never run;
//! - on a host, a computer that exhausts its memory fails alone: the other
//!   computer keeps serving.

use std::collections::HashMap;
use std::sync::mpsc::channel;
use std::time::Duration;

use craftos_http_runner::host::{Host, HostConfig};
use craftos_http_runner::{ComputerSpec, Outcome};
use craftos_http_tests::STEP;
use craftos_http_tests::binary::{self, Process};
use craftos_http_tests::port::{free_port, wait_for_port};
use craftos_http_tests::raw;
use craftos_http_tests::tempdir::TempDir;

/// Writes a file it never closes, then waits for events (`yields`) or
/// computes forever.
fn writer(yields: bool) -> String {
    let tail = if yields {
        "while true do os.pullEvent() end"
    } else {
        "while true do end"
    };
    format!(
        r#"
local h = fs.open("out.txt", "w")
h.write(("line\n"):rep(1000))
h.write("end")
print("ready")
{tail}
"#
    )
}

/// The runner on [`writer`], `fs` rooted at `root`.
fn spawn_writer(root: &TempDir, yields: bool) -> Process {
    Process::spawn_with(
        &["--root", &root.path().to_string_lossy()],
        "writer.lua",
        &writer(yields),
        &[],
    )
}

fn expected() -> String {
    format!("{}end", "line\n".repeat(1000))
}

/// `signal` ends a script that waits for events with 130, its open file
/// flushed.
fn terminate_by(signal: &str) {
    let root = TempDir::new();
    let mut p = spawn_writer(&root, true);
    assert!(p.wait_stdout("ready", STEP), "the script started");
    p.signal(signal);
    let exit = p.wait(STEP);
    assert_eq!(exit.code, Some(130), "terminated by {signal}: {exit:?}");
    let written = std::fs::read_to_string(root.path().join("out.txt")).expect("the file");
    assert_eq!(written, expected());
}

#[test]
fn sigterm_is_a_terminate_and_files_are_flushed() {
    terminate_by("TERM");
}

#[test]
fn sighup_is_a_terminate_too() {
    terminate_by("HUP");
}

#[test]
fn a_second_signal_stops_a_script_that_never_yields_and_flushes_its_files() {
    let root = TempDir::new();
    let mut p = spawn_writer(&root, false);
    assert!(p.wait_stdout("ready", STEP), "the script started");
    p.signal("TERM");
    std::thread::sleep(Duration::from_millis(200));
    p.signal("HUP");
    let exit = p.wait(Duration::from_secs(4));
    assert_eq!(exit.code, Some(130), "stopped: {exit:?}");
    let written = std::fs::read_to_string(root.path().join("out.txt")).expect("the file");
    assert_eq!(written, expected());
}

#[test]
fn a_bytecode_script_is_refused() {
    let dir = TempDir::new();
    // A chunk that claims to be bytecode (any version's signature byte).
    let script = dir.path().join("binary.lua");
    std::fs::write(
        &script,
        b"\x1bLua\x52\x00\x01\x04\x08\x04\x08\x00\xff\xff\xff\xff",
    )
    .expect("write");
    let exit = std::process::Command::new(binary::path())
        .arg(&script)
        .output()
        .expect("run craftos-http");
    assert_eq!(exit.status.code(), Some(1), "{exit:?}");
    let stderr = String::from_utf8_lossy(&exit.stderr);
    assert!(
        stderr.contains("attempt to load a binary chunk"),
        "stderr: {stderr}"
    );
}

#[test]
fn a_computer_out_of_memory_fails_alone() {
    let dir = TempDir::new();
    let (handle_tx, handle_rx) = channel();
    let (done_tx, done_rx) = channel::<HashMap<u32, Outcome>>();
    let thread = std::thread::spawn(move || {
        let host = Host::new(HostConfig::default()).expect("a host");
        handle_tx.send(host.handle()).expect("send the handle");
        let _ = done_tx.send(host.run());
    });
    let handle = handle_rx.recv_timeout(STEP).expect("the host's handle");

    let greedy = dir.write(
        "greedy.lua",
        r#"
http.addListener(tonumber((...)))
os.pullEvent("http_request")
local s = "x"
while true do s = s .. s end
"#,
    );
    let calm = dir.write(
        "calm.lua",
        r#"
http.listen(tonumber((...)), function(req, res)
  res.write("calm " .. req.getURL())
  res.close()
end)
"#,
    );
    let (greedy_port, calm_port) = (free_port(), free_port());
    let mut spec = ComputerSpec::from_file(1, &greedy).expect("greedy.lua");
    spec.args = vec![greedy_port.to_string()];
    spec.memory_limit = 32 << 20;
    handle.start(spec).expect("start greedy");
    let mut spec = ComputerSpec::from_file(2, &calm).expect("calm.lua");
    spec.args = vec![calm_port.to_string()];
    handle.start(spec).expect("start calm");
    assert!(wait_for_port(greedy_port, STEP, || false));
    assert!(wait_for_port(calm_port, STEP, || false));

    // The greedy computer's request starts its loop; it fails with the
    // message and answers 503 (L6), and the other serves on.
    let answer = raw::get(greedy_port, "/eat");
    assert_eq!(answer.status, 503, "{answer:?}");
    for i in 0..3 {
        let answer = raw::get(calm_port, &format!("/{i}"));
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, format!("calm /{i}").as_bytes());
    }
    let outcome = handle.shutdown(1);
    assert!(
        matches!(&outcome, Some(Outcome::Failed(m)) if m.contains("not enough memory")),
        "{outcome:?}"
    );
    handle.stop();
    let _ = done_rx.recv_timeout(STEP);
    let _ = thread.join();
}

#[test]
fn stdin_is_read_ahead_by_a_bounded_amount() {
    use std::io::Write;
    let dir = TempDir::new();
    let script = dir.write(
        "reader.lua",
        r#"
local line = read()
print(#line)
sleep(1.5)
print(#read())
"#,
    );
    let mut child = std::process::Command::new(binary::path())
        .arg(&script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run craftos-http");
    let pid = child.id();
    let mut stdin = child.stdin.take().expect("stdin");
    // 256 MiB with no newline, then more lines than anyone reads.
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..256 {
            if stdin.write_all(&chunk).is_err() {
                return;
            }
        }
        for _ in 0..100_000 {
            if stdin.write_all(b"short line\n").is_err() {
                return;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(1000));
    let rss = crate::process::rss(pid) / 1024;
    let out = child.wait_with_output().expect("the runner's output");
    drop(writer);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // A line longer than 1 MiB comes in pieces of 1 MiB.
    assert_eq!(stdout, "1048576\n1048576\n");
    assert!(rss < 96 * 1024, "RSS while stdin floods: {rss} KiB");
}
