//! The `fs` API driven from Lua over a temporary root.

use std::fs;
use std::path::PathBuf;

use mlua::Lua;

struct Fixture {
    top: PathBuf,
    root: PathBuf,
    lua: Lua,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.top);
    }
}

/// A root `top/root` beside a secret `top/secret.txt`, with links out.
fn fixture(tag: &str) -> Fixture {
    let top = std::env::temp_dir().join(format!(
        "craftos-fs-api-{tag}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let root = top.join("root");
    fs::create_dir_all(root.join("dir/sub")).unwrap();
    fs::write(top.join("secret.txt"), "secret").unwrap();
    fs::write(root.join("dir/a.txt"), "alpha\r\nbeta\n").unwrap();
    fs::write(root.join("dir/sub/b.txt"), "b").unwrap();
    std::os::unix::fs::symlink(&top, root.join("out")).unwrap();
    std::os::unix::fs::symlink("../secret.txt", root.join("secret-link")).unwrap();
    std::os::unix::fs::symlink("dir/a.txt", root.join("in-link")).unwrap();
    std::os::unix::fs::symlink("missing", root.join("dangling")).unwrap();
    let lua = Lua::new();
    super::install(&lua, &root).unwrap();
    Fixture { top, root, lua }
}

impl Fixture {
    fn run(&self, code: &str) {
        if let Err(e) = self.lua.load(code).set_name("=test").exec() {
            panic!("{e}");
        }
    }
}

const HELPERS: &str = r##"
function eq(got, want, what)
  if got ~= want then error(("%s: got %q, want %q"):format(what or "value", tostring(got), tostring(want)), 2) end
end
function err(f, ...)
  local ok, e = pcall(f, ...)
  if ok then error("no error", 2) end
  if type(e) ~= "string" then error("error is a " .. type(e), 2) end
  return (e:gsub("^test:%d+: ", ""))
end
"##;

#[test]
fn paths_and_listing() {
    let fx = fixture("list");
    fx.run(HELPERS);
    fx.run(
        r##"
        eq(fs.exists(""), true)
        eq(fs.exists("dir/a.txt"), true)
        eq(fs.exists("\\dir\\.\\sub\\..\\a.txt"), true)
        eq(fs.exists(" dir / a.txt "), true)
        eq(fs.exists("../root/dir"), false)
        eq(fs.exists(".."), false)
        eq(fs.isDir("dir"), true)
        eq(fs.isDir("dir/a.txt"), false)
        eq(fs.isDir(".."), false)
        local l = fs.list("")
        eq(table.concat(l, ","), "dir,in-link")
        eq(table.concat(fs.list("dir"), ","), "a.txt,sub")
        eq(err(fs.list, "nope"), "/nope: No such file")
        eq(err(fs.list, "dir/a.txt"), "/dir/a.txt: Not a directory")
        eq(err(fs.list, ".."), "/..: No such file")
        eq(err(fs.list), "bad argument #1 to 'list' (string expected, got no value)")
        eq(err(fs.list, nil), "bad argument #1 to 'list' (string expected, got nil)")
        eq(fs.getSize("dir/a.txt"), 12)
        eq(fs.getSize("dir"), 0)
        eq(err(fs.getSize, "out/secret.txt"), "/out/secret.txt: No such file")
        eq(fs.getDrive("dir"), "hdd")
        eq(select("#", fs.getDrive("nope")), 0)
        eq(fs.combine("a", "b", "../c"), "a/c")
        eq(fs.getName("a/b"), "b")
        eq(fs.getDir("a/b"), "a")
        eq(fs.isDriveRoot(""), true)
        eq(fs.isDriveRoot("dir"), false)
        local found = fs.find("dir/*")
        eq(table.concat(found, ","), "dir/a.txt,dir/sub")
        eq(table.concat(fs.find("*/s?b/*.txt"), ","), "dir/sub/b.txt")
        eq(table.concat(fs.find("dir/a.txt"), ","), "dir/a.txt")
        eq(#fs.find("out/*"), 0)
        eq(err(fs.find, "../*"), "/../*: Invalid Path")
        local a = fs.attributes("dir/a.txt")
        eq(a.size, 12) eq(a.isDir, false) eq(type(a.modified), "number")
        eq(a.modification, a.modified)
        eq(fs.attributes("dir").isDir, true)
        eq(err(fs.attributes, "nope"), "/nope: No such file")
        eq(fs.isReadOnly("dir/a.txt"), false)
        eq(fs.isReadOnly("new/file"), false)
        eq(err(fs.isReadOnly, "../x"), "/../x: Invalid path")
        eq(type(fs.getFreeSpace("")), "number")
        eq(err(fs.getFreeSpace, "../x"), "/../x: No such path")
        eq(type(fs.getCapacity("")), "number")
        eq(err(fs.getCapacity, "../x"), "../x: Invalid path")
    "##,
    );
}

#[test]
fn symlinks_out_do_not_exist() {
    let fx = fixture("links");
    fx.run(HELPERS);
    fx.run(
        r##"
        for _, p in ipairs({ "out", "out/secret.txt", "out/root/dir/a.txt", "secret-link", "dangling" }) do
          eq(fs.exists(p), false, p)
          eq(fs.isDir(p), false, p)
          local h, e = fs.open(p, "r")
          eq(h, nil, p) eq(e, "/" .. p .. ": No such file", p)
        end
        eq(fs.exists("in-link"), true)
        eq(fs.open("in-link", "r").readAll(), "alpha\r\nbeta\n")
        -- writing through a link out is refused and creates nothing
        local h, e = fs.open("out/root/escaped.txt", "w")
        eq(h, nil) eq(e, "/out/root/escaped.txt: No such file")
        eq(fs.exists("escaped.txt"), false)
        h, e = fs.open("secret-link", "w")
        eq(h, nil) eq(e, "/secret-link: No such file")
        h, e = fs.open("secret-link", "a")
        eq(h, nil) eq(e, "/secret-link: No such file")
        eq(err(fs.makeDir, "out/root/newdir"), "/out/root/newdir: Could not create directory")
        fs.delete("out") fs.delete("secret-link") fs.delete("out/secret.txt")
        eq(err(fs.copy, "out/secret.txt", "copied"), "/out/secret.txt: No such file")
        eq(err(fs.copy, "dir/a.txt", "out/root/x"), "/out/root/x: Invalid path")
        eq(err(fs.move, "dir/a.txt", "out/root/x"), "/out/root/x: Invalid path")
        eq(err(fs.move, "secret-link", "moved"), "No such file")
    "##,
    );
    assert_eq!(
        fs::read_to_string(fx.top.join("secret.txt")).unwrap(),
        "secret"
    );
    assert!(fs::symlink_metadata(fx.root.join("out")).is_ok());
    assert!(fs::symlink_metadata(fx.root.join("secret-link")).is_ok());
    assert!(!fx.root.join("escaped.txt").exists());
    assert!(!fx.top.join("newdir").exists());
    assert!(!fx.top.join("x").exists());
    assert!(!fx.root.join("copied").exists());
    assert_eq!(fs::read_dir(&fx.top).unwrap().count(), 2);
}

#[test]
fn climbing_is_refused() {
    let fx = fixture("climb");
    fx.run(HELPERS);
    fx.run(
        r##"
        local function no(p, shown)
          local h, e = fs.open(p, "r")
          eq(h, nil, p) eq(e, "/" .. shown .. ": No such file", p)
          h, e = fs.open(p, "w")
          eq(h, nil, p) eq(e, "/" .. shown .. ": No such file", p)
          eq(fs.exists(p), false, p)
        end
        no("..", "..")
        no("../secret.txt", "../secret.txt")
        no("/../secret.txt", "../secret.txt")
        no("dir/../../secret.txt", "../secret.txt")
        no("/../../etc/passwd", "etc/passwd")
        no("..\\secret.txt", "../secret.txt")
        no(" .. /secret.txt", "../secret.txt")
        no(".\0./secret.txt", "../secret.txt")
        eq(err(fs.makeDir, "../x"), "/../x: Could not create directory")
        fs.delete("../secret.txt")
        eq(err(fs.move, "../secret.txt", "s"), "No such file")
        eq(err(fs.move, "dir/a.txt", "../s"), "/../s: Invalid path")
        eq(err(fs.copy, "../secret.txt", "s"), "/../secret.txt: No such file")
        eq(err(fs.copy, "dir/a.txt", "../s"), "/../s: Invalid path")
        eq(err(fs.getSize, ".."), "/..: No such file")
        eq(select("#", fs.getDrive("..")), 0)
    "##,
    );
    assert_eq!(
        fs::read_to_string(fx.top.join("secret.txt")).unwrap(),
        "secret"
    );
    assert!(!fx.top.join("x").exists());
    assert!(!fx.top.join("s").exists());
}

#[test]
fn handles() {
    let fx = fixture("handles");
    fx.run(HELPERS);
    fx.run(
        r##"
        local h = fs.open("new/deep/f.txt", "w")
        eq(type(h), "table")
        eq(h.read, nil) eq(h.readLine, nil)
        h.write("one") h.write(2) h.writeLine("") h.writeLine(3.5) h.write(nil)
        h:write("colon\r\n")
        eq(err(h.write, {}), "bad argument #1 to 'write' (string expected, got table)")
        eq(err(h.writeLine, true), "bad argument #1 to 'writeLine' (string expected, got boolean)")
        h.flush()
        eq(fs.getSize("new/deep/f.txt"), 16)
        h.close()
        eq(err(h.close), "attempt to use a closed file")
        eq(err(h.write, "x"), "attempt to use a closed file")
        eq(err(h.flush), "attempt to use a closed file")
        eq(err(h.seek), "attempt to use a closed file")

        h = fs.open("new/deep/f.txt", "r")
        eq(h.write, nil)
        eq(h.readLine(), "one2")
        eq(h.readLine(true), "3.5\n")
        eq(h:readLine(), "colon")
        eq(select("#", h.readLine()), 0)
        eq(h.readAll(), "")
        eq(h.seek("set", 0), 0)
        eq(h.read(), "o")
        eq(h.read(3), "ne2")
        eq(h.read(0), "")
        eq(h.seek(), 4)
        eq(h.seek("cur", -1), 3)
        eq(h.seek("end"), 16)
        eq(select("#", h.read(0)), 0)
        eq(select("#", h.read()), 0)
        local n, e = h.seek("set", -1)
        eq(n, nil) eq(e, "Position is negative")
        n, e = h.seek("cur", -100)
        eq(n, nil) eq(e, "Invalid argument")
        eq(err(h.seek, "bogus"), "bad argument #1 to 'seek' (invalid option 'bogus')")
        eq(err(h.seek, {}), "bad argument #1 to 'seek' (string expected, got table)")
        eq(err(h.seek, "set", "x"), "bad argument #2 to 'seek' (number expected, got string)")
        h.seek("set", 0)
        eq(err(h.read, -1), "Cannot read a negative number of characters")
        eq(h.readAll(), "one2\n3.5\ncolon\r\n")
        h.close()

        h = fs.open("bin", "wb")
        h.write(65) h.write(256 + 66) h.write(-1) h.write("cd") h.write("")
        eq(err(h.write), "bad argument #1 to 'write' (number or string expected, got no value)")
        eq(err(h.write, nil), "bad argument #1 to 'write' (number or string expected, got nil)")
        h.close()
        h = fs.open("bin", "rb")
        eq(h.read(), 65) eq(h.read(), 66) eq(h.read(), 255)
        eq(h.read(5), "cd")
        eq(select("#", h.read()), 0)
        eq(select("#", h.read(-1)), 0) -- at the end: nothing, as CraftOS-PC
        h.seek("set", 0)
        eq(err(h.read, -1), "Cannot read a negative number of bytes")
        h.close()

        h = fs.open("bin", "a") h.write("!") h.close()
        eq(fs.open("bin", "r").readAll(), "AB\255cd!")
        h = fs.open("bin", "r+")
        eq(h.read(2), "AB") h.write("xy") h.close()
        eq(fs.open("bin", "rb").readAll(), "ABxyd!")
        h = fs.open("bin", "w+") eq(h.readAll(), "") h.write("z") h.seek("set", 0) eq(h.read(), "z") h.close()

        local _, e2 = fs.open("dir", "r") eq(e2, "/dir: Not a file")
        _, e2 = fs.open("dir", "w") eq(e2, "/dir: Cannot write to directory")
        _, e2 = fs.open("", "a") eq(e2, "/: Cannot write to directory")
        _, e2 = fs.open("dir/a.txt/x", "w") eq(e2, "/dir/a.txt/x: No such file")
        eq(err(fs.open, "x", "rw"), "rw: Unsupported mode")
        eq(err(fs.open, "x"), "bad argument #2 to 'open' (string expected, got no value)")
        eq(err(fs.open, nil, "r"), "bad argument #1 to 'open' (string expected, got nil)")
    "##,
    );
}

#[test]
fn too_many_files_and_close_all() {
    let fx = fixture("limit");
    fx.run(HELPERS);
    fx.run(
        r##"
        hs = {}
        for i = 1, 128 do hs[i] = assert(fs.open("f" .. i, "w")) hs[i].write("data " .. i) end
        eq(err(fs.open, "x", "w"), "/x: Too many files already open")
        hs[1].close()
        local h = fs.open("x", "w") h.close()
    "##,
    );
    super::close_all(&fx.lua);
    assert_eq!(fs::read_to_string(fx.root.join("f2")).unwrap(), "data 2");
    assert_eq!(
        fs::read_to_string(fx.root.join("f128")).unwrap(),
        "data 128"
    );
    fx.run(
        r##"
        eq(err(hs[2].write, "x"), "attempt to use a closed file")
        local h = fs.open("y", "w") h.write("kept")
        h = nil collectgarbage() collectgarbage()
    "##,
    );
    assert_eq!(fs::read_to_string(fx.root.join("y")).unwrap(), "kept");
}

#[test]
fn directories_move_copy_delete() {
    let fx = fixture("ops");
    fx.run(HELPERS);
    fx.run(
        r##"
        fs.makeDir("m/n/o")
        eq(fs.isDir("m/n/o"), true)
        fs.makeDir("m/n/o")
        eq(err(fs.makeDir, "dir/a.txt"), "/dir/a.txt: File exists")
        eq(err(fs.makeDir, "dir/a.txt/x"), "/dir/a.txt/x: Could not create directory")
        fs.copy("dir", "copy")
        eq(table.concat(fs.list("copy"), ","), "a.txt,sub")
        eq(fs.open("copy/sub/b.txt", "r").readAll(), "b")
        eq(err(fs.copy, "dir", "copy"), "/dir: File exists")
        eq(err(fs.copy, "dir", "dir/inner"), "/dir: Can't copy a directory inside itself")
        eq(err(fs.copy, "DIR/a.txt", "dir"), "/DIR/a.txt: No such file")
        eq(err(fs.copy, "dir/a.txt", "dir"), "/dir/a.txt: Can't copy a directory inside itself")
        eq(err(fs.copy, "nope", "x"), "/nope: No such file")
        fs.copy("dir/a.txt", "m")
        eq(fs.exists("m/a.txt"), true)
        eq(err(fs.copy, "dir/a.txt", "m/a.txt"), "/dir/a.txt: File exists")
        fs.move("copy", "moved/here")
        eq(fs.exists("copy"), false)
        eq(fs.exists("moved/here/sub/b.txt"), true)
        eq(err(fs.move, "moved", "moved/inside"), "Can't move a directory inside itself")
        eq(err(fs.move, "nope", "x"), "No such file")
        eq(err(fs.move, "moved", "dir"), "File exists")
        eq(err(fs.move, "", "x"), "Can't move a directory inside itself")
        fs.move("in-link", "link2")
        eq(fs.exists("dir/a.txt"), true)
        eq(fs.open("link2", "r").readAll(), "alpha\r\nbeta\n")
        fs.delete("link2")
        eq(fs.exists("dir/a.txt"), true)
        fs.delete("moved")
        eq(fs.exists("moved"), false)
        fs.delete("nope")
        eq(err(fs.delete, ""), "Cannot delete mount, use mounter.unmount instead")
        eq(err(fs.delete, "dir/.."), "Cannot delete mount, use mounter.unmount instead")
    "##,
    );
}

#[test]
fn loadfile_and_dofile() {
    let fx = fixture("load");
    fs::write(
        fx.root.join("dir/mod.lua"),
        "x = (x or 0) + 1 return ..., x",
    )
    .unwrap();
    fs::write(fx.root.join("dir/bad.lua"), "return +").unwrap();
    fs::write(fx.root.join("dir/boom.lua"), "\nerror('boom')").unwrap();
    fx.run(HELPERS);
    fx.run(
        r##"
        local f = assert(loadfile("dir/mod.lua"))
        local a, b = f("arg")
        eq(a, "arg") eq(b, 1)
        local env = {}
        f = loadfile("dir/mod.lua", env)
        local _, y = f() eq(y, 1) eq(env.x, 1)
        f = loadfile("dir/mod.lua", "t", env) f() eq(env.x, 2)
        local _, e = loadfile("dir/mod.lua", "b") eq(type(e), "string")
        local g, e2 = loadfile("nope.lua") eq(g, nil) eq(e2, "File not found")
        g, e2 = loadfile("dir/bad.lua")
        eq(g, nil) eq(e2:match("^/dir/bad%.lua:1:") ~= nil, true, e2)
        local _, z = dofile("dir/mod.lua") eq(z, 2)
        eq(err(dofile, "nope.lua"), "File not found")
        eq(err(dofile, "dir/boom.lua"), "/dir/boom.lua:2: boom")
        eq(err(loadfile), "bad argument #1 to 'loadfile' (string expected, got nil)")
        eq(err(loadfile, "x", 1), "bad argument #2 to 'loadfile' (string or nil expected, got number)")
        eq(err(dofile, 1), "bad argument #1 to 'dofile' (string expected, got number)")
    "##,
    );
}

#[test]
fn the_open_limit_is_checked_before_anything_is_touched() {
    let fx = fixture("limit-first");
    fs::write(fx.root.join("keep.txt"), "precious").unwrap();
    fx.run(HELPERS);
    // The errors are collected and checked after the files: what matters
    // first is that nothing was truncated or created.
    fx.run(
        r##"
        local hs = {}
        for i = 1, 128 do hs[i] = assert(fs.open("dir/a.txt", "r")) end
        errors = {}
        for _, mode in ipairs({ "w", "wb", "w+", "a", "a+", "r+", "r" }) do
          for _, p in ipairs({ "keep.txt", "new/deep/f.txt", "in-link", "nope.txt" }) do
            local ok, e = pcall(fs.open, p, mode)
            errors[#errors + 1] = ok and ("no error for " .. p .. " " .. mode) or e
          end
        end
        for i = 1, 128 do hs[i].close() end
    "##,
    );
    assert_eq!(
        fs::read_to_string(fx.root.join("keep.txt")).unwrap(),
        "precious"
    );
    assert_eq!(
        fs::read_to_string(fx.root.join("dir/a.txt")).unwrap(),
        "alpha\r\nbeta\n"
    );
    assert!(!fx.root.join("new").exists());
    assert!(!fx.root.join("nope.txt").exists());
    fx.run(
        r##"
        local i = 0
        for _, mode in ipairs({ "w", "wb", "w+", "a", "a+", "r+", "r" }) do
          for _, p in ipairs({ "keep.txt", "new/deep/f.txt", "in-link", "nope.txt" }) do
            i = i + 1
            eq(errors[i], "/" .. p .. ": Too many files already open", p .. " " .. mode)
          end
        end
    "##,
    );
}

/// Every entry under `dir` (not following links), for a bounded count.
fn tree(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            assert!(out.len() < 10_000, "the copy grows without bound");
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn copy_never_follows_a_link_into_a_loop() {
    use std::os::unix::fs::symlink;
    let fx = fixture("copy-loop");
    // loop/up -> .. (the root), loop/self -> . ; p/q -> ../r and r/back -> ../p
    fs::create_dir_all(fx.root.join("loop/inner")).unwrap();
    fs::write(fx.root.join("loop/f.txt"), "f").unwrap();
    symlink("..", fx.root.join("loop/up")).unwrap();
    symlink(".", fx.root.join("loop/self")).unwrap();
    symlink("../..", fx.root.join("loop/inner/top")).unwrap();
    symlink("../../dir", fx.root.join("loop/inner/d")).unwrap();
    fs::create_dir_all(fx.root.join("p")).unwrap();
    fs::create_dir_all(fx.root.join("r")).unwrap();
    fs::write(fx.root.join("r/g.txt"), "g").unwrap();
    symlink("../r", fx.root.join("p/q")).unwrap();
    symlink("../p", fx.root.join("r/back")).unwrap();
    fx.run(HELPERS);
    fx.run(
        r##"
        fs.copy("loop", "copy1")
        eq(table.concat(fs.list("copy1"), ","), "f.txt,inner")
        eq(table.concat(fs.list("copy1/inner"), ","), "d")
        eq(fs.open("copy1/inner/d/sub/b.txt", "r").readAll(), "b")
        fs.copy("p", "copy2")
        eq(table.concat(fs.list("copy2"), ","), "q")
        eq(table.concat(fs.list("copy2/q"), ","), "g.txt")
        -- a link to a directory on the way is listed and found, never descended by find
        eq(table.concat(fs.find("loop/*"), ","), "loop/f.txt,loop/inner,loop/self,loop/up")
        eq(table.concat(fs.find("loop/*/*"), ","), "loop/inner/d,loop/inner/top")
        eq(table.concat(fs.find("loop/self/f.txt"), ","), "loop/self/f.txt")
        eq(fs.exists("loop/self/self/up/loop/f.txt"), true)
        fs.delete("copy1") fs.delete("copy2") fs.delete("loop")
        eq(fs.exists("r/g.txt"), true)
        eq(fs.exists("dir/sub/b.txt"), true)
    "##,
    );
    assert_eq!(tree(&fx.root.join("r")), ["back", "g.txt"]);
    assert!(fx.root.join("dir/sub/b.txt").exists());
}

#[test]
fn trees_deeper_than_a_path_are_copied_found_and_deleted() {
    use rustix::fs::{Mode, OFlags, mkdirat, openat};
    let fx = fixture("deep");
    // 300 levels of 30-byte names: 9 KB, more than PATH_MAX, made with
    // descriptors as no path could.
    let name = "d".repeat(30);
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let mut fd = openat(rustix::fs::CWD, &fx.root, flags, Mode::empty()).unwrap();
    mkdirat(&fd, "deep", Mode::from_raw_mode(0o755)).unwrap();
    fd = openat(&fd, "deep", flags, Mode::empty()).unwrap();
    for _ in 0..300 {
        mkdirat(&fd, &name[..], Mode::from_raw_mode(0o755)).unwrap();
        fd = openat(&fd, &name[..], flags, Mode::empty()).unwrap();
    }
    let file = openat(
        &fd,
        "leaf.txt",
        OFlags::WRONLY | OFlags::CREATE | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o644),
    )
    .unwrap();
    rustix::io::write(&file, b"leaf").unwrap();
    drop((fd, file));
    fx.run(HELPERS);
    fx.run(
        r##"
        fs.copy("deep", "copy")
        eq(table.concat(fs.list("copy"), ","), ("d"):rep(30))
        eq(#fs.find("copy/*/*/*/*"), 1)
    "##,
    );
    // The copy is whole, down to the leaf.
    let mut fd = openat(rustix::fs::CWD, fx.root.join("copy"), flags, Mode::empty()).unwrap();
    for _ in 0..300 {
        fd = openat(&fd, &name[..], flags, Mode::empty()).unwrap();
    }
    let leaf = openat(
        &fd,
        "leaf.txt",
        OFlags::RDONLY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(rustix::io::read(&leaf, &mut buf).unwrap(), 4);
    assert_eq!(&buf[..4], b"leaf");
    drop((fd, leaf));
    fx.run(
        r##"
        fs.delete("deep")
        eq(fs.exists("deep"), false)
        fs.delete("copy")
        eq(fs.exists("copy"), false)
    "##,
    );
    assert_eq!(fs::read_dir(&fx.root).unwrap().count(), 5);
}
