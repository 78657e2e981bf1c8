//! The runner as a whole ComputerCraft computer with nothing attached
//! (SEMANTICS X10-X14): a server split into modules found with `require`
//! from a nested folder, settings that survive a restart, and arguments
//! after SCRIPT that reach the script even when they look like options.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use craftos_http_tests::binary;
use craftos_http_tests::port::{free_port, wait_for_port};
use craftos_http_tests::tempdir::TempDir;
use craftos_http_tests::{STEP, raw};

const LIMIT: Duration = Duration::from_secs(20);

/// Write `text` at `rel` under `dir`, creating its folders.
fn put(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the folders");
    std::fs::write(&path, text).expect("write the file");
}

/// Run the binary with `args` in `cwd` to its end (at most [`LIMIT`]).
fn run_in(cwd: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(binary::path())
        .current_dir(cwd)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start craftos-http");
    let deadline = Instant::now() + LIMIT;
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("craftos-http still running after {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("the output")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A tiny express-style framework, as published ones for `http.listen`
/// are: a library the server loads with `require("/lib/webify")`.
const WEBIFY: &str = r#"
local expect = require("cc.expect").expect
local webify = {}
function webify.new()
  local app = { routes = {} }
  function app.get(path, handler)
    expect(1, path, "string")
    app.routes[path] = handler
  end
  function app.listen(port)
    http.listen(port, function(req, res)
      local path, query = req.getURL():match("^([^?]*)%??(.*)$")
      local params = {}
      for k, v in query:gmatch("([^&=]+)=([^&]*)") do params[k] = v end
      local handler = app.routes[path]
      if not handler then
        res.setStatusCode(404)
        res.write("no route " .. path)
        res.close()
        return
      end
      return handler(params, res)
    end)
  end
  return app
end
return webify
"#;

const SERVER: &str = r#"
local webify = require("/lib/webify")
local prices = require("data.prices")
local format = require("format")
local app = webify.new()
app.get("/price", function(params, res)
  res.write(format(params.item, prices[params.item]) .. " (" .. shell.getRunningProgram() .. ")")
  res.close()
end)
app.get("/stop", function(_, res)
  res.write("bye")
  res.close()
  return true
end)
app.listen(tonumber(...))
"#;

#[test]
fn a_server_split_into_modules_loads_them_with_require_from_its_folder() {
    let dir = TempDir::new();
    let root = dir.path().join("computer");
    put(&root, "lib/webify.lua", WEBIFY);
    put(&root, "apps/shop/server.lua", SERVER);
    // Relative to the program's folder: `data.prices` -> data/prices.lua,
    // `format` -> format/init.lua.
    put(
        &root,
        "apps/shop/data/prices.lua",
        "return { apple = 3, pear = 5 }",
    );
    put(
        &root,
        "apps/shop/format/init.lua",
        "return function(item, price) return item .. ' costs ' .. tostring(price) end",
    );
    // The same names at the root's top and outside the root are not the
    // program's modules.
    put(
        &root,
        "data/prices.lua",
        "return { apple = 'wrong folder' }",
    );
    put(
        dir.path(),
        "format.lua",
        "return function() return 'host file' end",
    );

    let port = free_port();
    let mut child = Command::new(binary::path())
        .current_dir(dir.path())
        .arg("--root")
        .arg(&root)
        .arg(root.join("apps/shop/server.lua"))
        .arg(port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start craftos-http");
    let up = wait_for_port(port, STEP, || !matches!(child.try_wait(), Ok(None)));
    if !up {
        let _ = child.kill();
        let out = child.wait_with_output().expect("the output");
        panic!("the server did not listen: {}", text(&out.stderr));
    }
    assert_eq!(
        raw::get(port, "/price?item=apple").text(),
        "apple costs 3 (apps/shop/server.lua)"
    );
    assert_eq!(
        raw::get(port, "/price?item=pear").text(),
        "pear costs 5 (apps/shop/server.lua)"
    );
    let missing = raw::get(port, "/nothing");
    assert_eq!(missing.status, 404);
    assert_eq!(raw::get(port, "/stop").text(), "bye");
    let deadline = Instant::now() + LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = child.wait_with_output().expect("the output");
    assert!(status.success(), "{status}: {}", text(&out.stderr));
}

#[test]
fn a_module_missing_from_the_folder_names_every_place_tried() {
    let dir = TempDir::new();
    put(dir.path(), "app/main.lua", "require('helpers.strings')");
    // On the host, outside the computer's root (app/): never looked at.
    put(dir.path(), "helpers/strings.lua", "return {}");
    let out = run_in(dir.path(), &["app/main.lua"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "main.lua:1: module 'helpers.strings' not found:\n  no field package.preload['helpers.strings']\n  no file 'helpers/strings'\n  no file 'helpers/strings.lua'\n  no file 'helpers/strings/init.lua'\n  no file '/rom/modules/main/helpers/strings'"
        ),
        "{stderr}"
    );
}

const SETTINGS: &str = r#"
local step = ...
if step == "first" then
  print("before: " .. tostring(settings.get("demo.visits")))
  settings.define("demo.visits", { type = "number", default = 0 })
  settings.set("demo.visits", settings.get("demo.visits") + 1)
  settings.set("demo.owner", "ada")
  print("saved: " .. tostring(settings.save()))
else
  print("after: " .. tostring(settings.get("demo.visits")) .. " " .. tostring(settings.get("demo.owner")))
  settings.set("demo.visits", settings.get("demo.visits") + 1)
  settings.unset("demo.owner")
  settings.save()
end
"#;

#[test]
fn settings_saved_in_one_run_are_there_in_the_next() {
    let dir = TempDir::new();
    put(dir.path(), "visits.lua", SETTINGS);
    let first = run_in(dir.path(), &["visits.lua", "first"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert_eq!(text(&first.stdout), "before: nil\nsaved: true\n");
    // The file is the root's /.settings, in textutils.serialize's form.
    let saved = std::fs::read_to_string(dir.path().join(".settings")).expect("/.settings");
    assert!(saved.contains("\"demo.visits\""), "{saved}");

    let second = run_in(dir.path(), &["visits.lua", "second"]);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert_eq!(text(&second.stdout), "after: 1 ada\n");
    let third = run_in(dir.path(), &["visits.lua", "second"]);
    assert_eq!(text(&third.stdout), "after: 2 nil\n");
}

#[test]
fn options_after_the_script_are_the_scripts_arguments() {
    let dir = TempDir::new();
    put(
        dir.path(),
        "server.lua",
        "print(select('#', ...) .. ': ' .. table.concat({ ... }, ' '))\nprint(table.concat(fs.list('/'), ','))",
    );
    let out = run_in(dir.path(), &["server.lua", "--root", "x", "-v", "7"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // --root did not root fs at x (which does not exist), and -v turned no
    // logging on.
    assert_eq!(text(&out.stdout), "4: --root x -v 7\nrom,server.lua\n");
    assert_eq!(text(&out.stderr), "");
    // Before the script they are still the runner's.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("sub");
    let out = run_in(dir.path(), &["--root", "sub", "server.lua", "a"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "1: a\nrom\n");
}
