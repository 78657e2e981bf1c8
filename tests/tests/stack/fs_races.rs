//! `fs` under a tree that changes while it works (issue 10, X8
//! **\[security\]**): a directory of the root is swapped, over and over, for
//! a symlink to a directory outside it, while a script creates, writes,
//! appends to, moves, copies and deletes files under it. Nothing may ever
//! appear in, change in or disappear from the outside directory.
//!
//! The swap is one atomic `renameat2(RENAME_EXCHANGE)` (Linux), so the name
//! is always either the real directory or the link. The script races for
//! about 2 s; the swapping thread compares the outside tree with its
//! snapshot every few swaps and once more at the end.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use craftos_http_tests::binary::Process;
use craftos_http_tests::tempdir::TempDir;
use rustix::fs::{CWD, RenameFlags, renameat_with};

const LIMIT: Duration = Duration::from_secs(30);

/// The script: about 2 s of operations under `dir/`, yielding now and
/// then; it prints how many rounds it made and how many files it could
/// make (while `dir` was the real directory).
const SCRIPT: &str = r#"
local function try(f, ...) pcall(f, ...) end
local stop = os.epoch("utc") + 2000
local n, opened = 0, 0
while os.epoch("utc") < stop do
  n = n + 1
  local k = n % 4
  local h = fs.open("dir/victim.txt", "w")
  if h then h.write("inside") h.close() end
  try(fs.delete, "dir/victim.txt")
  h = fs.open("dir/new" .. k .. ".txt", "w")
  if h then h.write("new") h.close() opened = opened + 1 end
  h = fs.open("dir/sub/deep" .. k .. "/file.txt", "w")
  if h then h.write("deep") h.close() end
  h = fs.open("dir/existing.txt", "a")
  if h then h.write("+") h.close() end
  h = fs.open("dir/sub/kept.txt", "w")
  if h then h.write("w") h.close() end
  try(fs.makeDir, "dir/made" .. k)
  try(fs.move, "dir/new" .. k .. ".txt", "dir/moved" .. k .. ".txt")
  try(fs.copy, "dir/moved" .. k .. ".txt", "dir/copied" .. k .. ".txt")
  try(fs.copy, "dir/sub", "dir/copied-tree" .. k)
  try(fs.move, "dir/made" .. k, "dir/sub/made" .. k)
  try(fs.delete, "dir/moved" .. k .. ".txt")
  try(fs.delete, "dir/copied" .. k .. ".txt")
  try(fs.delete, "dir/copied-tree" .. k)
  try(fs.delete, "dir/sub/made" .. k)
  try(fs.delete, "dir/sub/deep" .. k)
  try(fs.delete, "dir/sub/kept.txt")
  try(fs.delete, "dir/existing.txt")
  if n % 16 == 0 then os.queueEvent("tick") os.pullEvent("tick") end
end
print("rounds " .. n .. " opened " .. opened)
"#;

/// Every file and directory under `dir` with the contents of the files
/// (links are not followed).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<String>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap_or(&p).to_path_buf();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                out.insert(rel, None);
                stack.push(p);
            } else {
                out.insert(
                    rel,
                    Some(
                        String::from_utf8_lossy(&std::fs::read(&p).unwrap_or_default())
                            .into_owned(),
                    ),
                );
            }
        }
    }
    out
}

#[test]
fn a_directory_swapped_for_a_link_out_never_lets_fs_touch_the_outside() {
    let top = TempDir::new();
    let root = top.path().join("root");
    let outside = top.path().join("outside");
    std::fs::create_dir_all(root.join("dir/sub")).expect("root");
    std::fs::create_dir_all(outside.join("sub")).expect("outside");
    // What the script's names would hit through the link.
    std::fs::write(outside.join("victim.txt"), "outside").expect("victim");
    std::fs::write(outside.join("existing.txt"), "outside").expect("existing");
    std::fs::write(outside.join("sub/kept.txt"), "outside").expect("kept");
    std::fs::create_dir_all(outside.join("sub/deep0")).expect("deep0");
    std::fs::write(outside.join("sub/deep0/file.txt"), "outside").expect("deep file");
    std::os::unix::fs::symlink(&outside, root.join("parked")).expect("link");
    let before = snapshot(&outside);

    let process = Process::spawn_with(
        &["--root", &root.to_string_lossy()],
        "race.lua",
        SCRIPT,
        &[],
    );
    let stop = Arc::new(AtomicBool::new(false));
    let swapper = {
        let stop = stop.clone();
        let (root, outside, before) = (root.clone(), outside.clone(), before.clone());
        std::thread::spawn(move || {
            let (dir, parked) = (root.join("dir"), root.join("parked"));
            let deadline = Instant::now() + LIMIT;
            let mut swaps = 0u64;
            let mut changed = None;
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                renameat_with(CWD, &dir, CWD, &parked, RenameFlags::EXCHANGE)
                    .expect("swap dir and parked");
                swaps += 1;
                if swaps.is_multiple_of(32) && changed.is_none() {
                    let now = snapshot(&outside);
                    if now != before {
                        changed = Some(now);
                    }
                }
                std::thread::yield_now();
            }
            (swaps, changed)
        })
    };
    let exit = process.wait(LIMIT);
    stop.store(true, Ordering::Relaxed);
    let (swaps, changed) = swapper.join().expect("the swapping thread");

    assert_eq!(exit.code, Some(0), "the script ran to its end: {exit:?}");
    let counts: Vec<u64> = exit
        .stdout
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let [rounds, opened] = counts[..] else {
        panic!("the script's counts: {exit:?}");
    };
    eprintln!("fs race: {rounds} rounds of the script ({opened} files made), {swaps} swaps");
    assert!(rounds >= 20, "the script raced only {rounds} rounds");
    assert!(
        opened > 0,
        "no file was ever made: the race never saw the real directory"
    );
    assert!(swaps >= 100, "only {swaps} swaps");
    if let Some(seen) = changed {
        panic!("the outside directory changed during the race:\nbefore {before:?}\nseen {seen:?}");
    }
    assert_eq!(snapshot(&outside), before, "the outside directory changed");
}
