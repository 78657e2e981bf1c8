//! The Lua sources built into these crates (`lua/http.lua`, the
//! environment's APIs, the runner's bios), compiled once per process.
//!
//! Booting a computer loads some forty such chunks, and parsing them was
//! four fifths of the boot (22.6M of 27M instructions, callgrind): a host
//! of a thousand computers parsed the same text a thousand times. The
//! first state to load a source compiles it from text and keeps its
//! bytecode (debug information included, so error positions and names
//! read the same); every later state loads that bytecode.
//!
//! Only sources compiled into the program go through here, and the
//! bytecode comes from the same VM in the same process: scripts still
//! never load bytecode (their `load` is text-only).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use mlua::chunk::ChunkMode;
use mlua::{Function, Lua};

/// A built-in source and the name its chunk is loaded under.
type Key = (usize, usize, String);

/// Loads served from bytecode, for the tests.
#[cfg(test)]
static HITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn cache() -> &'static Mutex<HashMap<Key, Arc<[u8]>>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<[u8]>>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// The function of the built-in `source` loaded into `lua` under the chunk
/// name `name` (as [`mlua::chunk::Chunk::set_name`] takes it, e.g. `=bios`):
/// compiled from text the first time in this process, from its bytecode
/// afterwards.
pub fn load(lua: &Lua, name: &str, source: &'static str) -> mlua::Result<Function> {
    let key = (source.as_ptr() as usize, source.len(), name.to_owned());
    let held = cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    if let Some(bytecode) = held {
        #[cfg(test)]
        HITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return lua
            .load(&bytecode[..])
            .set_name(name)
            .set_mode(ChunkMode::Binary)
            .into_function();
    }
    let f = lua
        .load(source)
        .set_name(name)
        .set_mode(ChunkMode::Text)
        .into_function()?;
    let bytecode: Arc<[u8]> = f.dump(false).into();
    cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, bytecode);
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "local a = ... return a + 1, debug and debug.getinfo(1, 'S').source";

    #[test]
    fn the_second_state_gets_the_same_function() {
        let hits = HITS.load(std::sync::atomic::Ordering::Relaxed);
        for _ in 0..2 {
            let lua = Lua::new();
            let f = load(&lua, "=compiled-test", SOURCE).unwrap();
            let (n, source): (i64, Option<String>) = f.call(41).unwrap();
            assert_eq!(n, 42);
            if let Some(source) = source {
                assert_eq!(source, "=compiled-test");
            }
        }
        // The second state loaded the first one's bytecode.
        assert!(HITS.load(std::sync::atomic::Ordering::Relaxed) > hits);
    }

    #[test]
    fn errors_keep_their_positions() {
        const FAILING: &str = "\n\nerror('boom')";
        for _ in 0..2 {
            let lua = Lua::new();
            let err = load(&lua, "=failing", FAILING)
                .unwrap()
                .call::<()>(())
                .unwrap_err();
            assert!(err.to_string().contains("failing:3: boom"), "{err}");
        }
    }
}
