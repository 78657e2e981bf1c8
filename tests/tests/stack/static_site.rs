//! `examples/static-site.lua` run by the `craftos-http` binary on a copy of
//! the example and its `site/` folder: files come back byte for byte with
//! their content types, paths out of the folder are 404, and the JSON log
//! (`log.jsonl` in fs's root) survives a restart of the runner.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use craftos_http_tests::binary;
use craftos_http_tests::client::{self, block_on};
use craftos_http_tests::port::{free_port, wait_for_port};
use craftos_http_tests::{STEP, raw};
use hyper::{Method, StatusCode};

/// The longest a test's client side may take.
const LIMIT: Duration = Duration::from_secs(30);

/// A fresh directory of its own under the system's temp directory, removed
/// with its contents on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "craftos-http-tests-static-site-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The workspace's `examples/` directory.
fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("mkdir {}: {e}", to.display()));
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    for entry in entries {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

/// A scratch directory holding `root/` (the script and `site/`, copied
/// from `examples/`: fs's root) and the runner's output beside it, where
/// the script cannot see it.
struct Fixture {
    scratch: Scratch,
}

impl Fixture {
    fn new() -> Fixture {
        let scratch = Scratch::new();
        let root = scratch.0.join("root");
        std::fs::create_dir_all(&root).expect("create root/");
        std::fs::copy(
            examples().join("static-site.lua"),
            root.join("static-site.lua"),
        )
        .expect("copy examples/static-site.lua");
        copy_dir(&examples().join("site"), &root.join("site"));
        Fixture { scratch }
    }

    fn root(&self) -> PathBuf {
        self.scratch.0.join("root")
    }

    fn site(&self) -> PathBuf {
        self.root().join("site")
    }

    /// Write `bytes` to `relative` (a path under the scratch directory).
    fn write(&self, relative: &str, bytes: &[u8]) {
        let path = self.scratch.0.join(relative);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Start `craftos-http static-site.lua PORT` in `root/` (fs's root is
    /// the script's directory), once its port accepts connections.
    fn start(&self) -> Site {
        static RUN: AtomicUsize = AtomicUsize::new(0);
        for _attempt in 0..5 {
            let run = RUN.fetch_add(1, Ordering::Relaxed);
            let stdout = self.scratch.0.join(format!("stdout-{run}.txt"));
            let stderr = self.scratch.0.join(format!("stderr-{run}.txt"));
            let port = free_port();
            let mut child = Command::new(binary::path())
                .current_dir(self.root())
                .arg("static-site.lua")
                .arg(port.to_string())
                .stdin(Stdio::null())
                .stdout(File::create(&stdout).expect("create stdout file"))
                .stderr(File::create(&stderr).expect("create stderr file"))
                .spawn()
                .expect("start craftos-http");
            let opened = wait_for_port(port, STEP, || !matches!(child.try_wait(), Ok(None)));
            let site = Site {
                child,
                port,
                stdout,
                stderr,
            };
            if opened {
                return site;
            }
            let output = site.output();
            if output.contains("Address already in use") {
                continue;
            }
            panic!("static-site.lua did not listen on {port} within {STEP:?}: {output}");
        }
        panic!("static-site.lua: no free port after 5 attempts");
    }
}

/// The runner serving the example; killed (if still running) on drop, so a
/// failing test leaves no process behind.
struct Site {
    child: Child,
    port: u16,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// What the runner printed so far, for failure messages.
    fn output(&self) -> String {
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        format!(
            "stdout: {:?}, stderr: {:?}",
            read(&self.stdout),
            read(&self.stderr)
        )
    }

    /// SIGINT, as Ctrl-C: `terminate` ends `http.listen`, the run exits
    /// with 130. Returns the exit status; kills the runner and panics if it
    /// is still running after [`STEP`].
    fn interrupt(mut self) -> Option<i32> {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -INT failed: {status}");
        let deadline = Instant::now() + STEP;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for craftos-http") {
                return status.code();
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("craftos-http still running {STEP:?} after SIGINT");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn get(url: String) -> client::Reply {
    send(Method::GET, url, "")
}

fn send(method: Method, url: String, body: &'static str) -> client::Reply {
    block_on(LIMIT, async {
        client::fetch(&client::legacy(), client::request(method, &url, body)).await
    })
}

#[test]
fn files_come_back_byte_for_byte_with_their_types() {
    let fixture = Fixture::new();
    // Every byte value, CR LF and ^Z included, under an unknown extension.
    let all_bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
    fixture.write("root/site/data.bin", &all_bytes);
    let site = fixture.start();

    let index = std::fs::read(fixture.site().join("index.html")).expect("index.html");
    for path in ["/", "/index.html", "/?q=1"] {
        let reply = get(site.url(path));
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "GET {path}: {}",
            site.output()
        );
        let kind = reply.header("content-type").unwrap_or_default();
        assert!(kind.starts_with("text/html"), "GET {path}: {kind:?}");
        assert_eq!(&reply.body[..], &index[..], "GET {path}");
    }

    let css = get(site.url("/style.css"));
    assert_eq!(css.status, StatusCode::OK);
    let kind = css.header("content-type").unwrap_or_default();
    assert!(kind.starts_with("text/css"), "{kind:?}");

    let logo = std::fs::read(fixture.site().join("logo.png")).expect("logo.png");
    assert!(logo.starts_with(b"\x89PNG\r\n\x1a\n"), "logo.png is a PNG");
    assert!(logo.contains(&0), "logo.png has NUL bytes");
    let reply = get(site.url("/logo.png"));
    assert_eq!(reply.status, StatusCode::OK, "{}", site.output());
    assert_eq!(reply.header("content-type"), Some("image/png"));
    assert_eq!(&reply.body[..], &logo[..], "logo.png byte for byte");

    let head = send(Method::HEAD, site.url("/logo.png"), "");
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.header("content-type"), Some("image/png"));
    assert_eq!(
        head.header("content-length"),
        Some(logo.len().to_string().as_str())
    );
    assert!(head.body.is_empty(), "HEAD has no body");

    let reply = get(site.url("/data.bin"));
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(&reply.body[..], &all_bytes[..], "data.bin byte for byte");

    let missing = get(site.url("/missing"));
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!missing.body.is_empty(), "a 404 has a small body");
    let missing = get(site.url("/missing.png"));
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let delete = send(Method::DELETE, site.url("/"), "");
    assert_eq!(delete.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(delete.header("allow"), Some("GET, HEAD"));

    assert_eq!(site.interrupt(), Some(130));
}

#[test]
fn paths_out_of_the_folder_are_404() {
    let fixture = Fixture::new();
    // Outside fs's root, and inside the root but outside the site folder.
    fixture.write("Cargo.toml", b"SECRET-OUTSIDE-ROOT");
    fixture.write("root/secret.txt", b"SECRET-OUTSIDE-SITE");
    let site = fixture.start();
    for path in [
        "/../Cargo.toml",
        "/../../Cargo.toml",
        "/../secret.txt",
        "/../static-site.lua",
        "/a/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/Cargo.toml",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/.../secret.txt",
    ] {
        // Raw bytes: a client library might normalise the dots away.
        let response = raw::get(site.port, path);
        assert_eq!(response.status, 404, "GET {path}: {}", site.output());
        let text = response.text();
        assert!(
            !text.contains("SECRET") && !text.contains("http.listen"),
            "GET {path} leaked a file: {text:?}"
        );
    }
    // The folder itself still serves.
    assert_eq!(raw::get(site.port, "/style.css").status, 200);
    assert_eq!(site.interrupt(), Some(130));
}

#[test]
fn the_log_survives_a_restart() {
    let fixture = Fixture::new();
    let log = fixture.root().join("log.jsonl");
    let site = fixture.start();

    let empty = get(site.url("/api/log"));
    assert_eq!(empty.status, StatusCode::OK, "{}", site.output());
    assert_eq!(empty.header("content-type"), Some("application/json"));
    assert_eq!(&empty.body[..], b"[]");

    let posted = send(
        Method::POST,
        site.url("/api/log"),
        r#"{"message":"from the test","n":[1,2,3]}"#,
    );
    assert_eq!(posted.status, StatusCode::CREATED, "{}", site.output());
    let text = String::from_utf8_lossy(&posted.body);
    assert!(text.contains(r#""message":"from the test""#), "{text}");
    assert!(text.contains(r#""time":"#), "{text}");

    let bad = send(Method::POST, site.url("/api/log"), "not json");
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let put = send(Method::PUT, site.url("/api/log"), "{}");
    assert_eq!(put.status, StatusCode::METHOD_NOT_ALLOWED);

    assert_eq!(site.interrupt(), Some(130));

    let on_disk = std::fs::read_to_string(&log).expect("log.jsonl in fs's root");
    let lines: Vec<&str> = on_disk.lines().collect();
    assert_eq!(lines.len(), 1, "one entry, one line: {on_disk:?}");
    assert!(on_disk.ends_with('\n'), "{on_disk:?}");
    assert!(
        lines[0].starts_with('{')
            && lines[0].contains(r#""message":"from the test""#)
            && lines[0].contains(r#""n":[1,2,3]"#)
            && lines[0].contains(r#""time":"#),
        "{on_disk:?}"
    );

    // Same root, a new run: the entry is still there, and new ones follow.
    let site = fixture.start();
    let listed = get(site.url("/api/log"));
    assert_eq!(listed.status, StatusCode::OK, "{}", site.output());
    let text = String::from_utf8_lossy(&listed.body).into_owned();
    assert_eq!(text, format!("[{}]", lines[0]));

    let posted = send(
        Method::POST,
        site.url("/api/log"),
        r#"{"message":"second"}"#,
    );
    assert_eq!(posted.status, StatusCode::CREATED);
    let listed = get(site.url("/api/log"));
    let text = String::from_utf8_lossy(&listed.body).into_owned();
    let first = text.find("from the test").expect("the first entry");
    let second = text
        .find(r#""message":"second""#)
        .expect("the second entry");
    assert!(first < second, "entries in the order logged: {text}");
    assert_eq!(site.interrupt(), Some(130));

    let on_disk = std::fs::read_to_string(&log).expect("log.jsonl");
    assert_eq!(on_disk.lines().count(), 2, "{on_disk:?}");
}
