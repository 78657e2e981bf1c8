//! Embedding the binding in a host that owns its event loop: the host
//! installs `http` into a Lua state, receives the computer's events from the
//! core queue, converts them with `event_to_lua` and hands them to a Lua
//! function of its own (here, not a coroutine scheduler: just a handler).
//!
//! Run: `cargo run -p craftos-http-runner --example embed`, then
//! `curl 127.0.0.1:8081/anything` (it serves 5 requests, then exits).

use std::future::poll_fn;
use std::sync::Arc;

use craftos_http_core::{Computer, ComputerId, EventQueue};
use craftos_http_hyper::{HyperTransport, TransportConfig};
use craftos_http_lua::mlua::{Function, Lua, MultiValue};
use craftos_http_lua::{HttpContext, event_to_lua, install};

fn main() -> craftos_http_lua::mlua::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let transport = HyperTransport::new(runtime.handle().clone(), TransportConfig::default());
    let queue = Arc::new(EventQueue::new(256));
    let computer = Computer::new(ComputerId(1), queue.clone());

    let lua = Lua::new();
    install(
        &lua,
        HttpContext {
            computer: computer.clone(),
            listeners: Arc::new(transport.clone()),
        },
    )?;
    // The host's "script": listen, and a handler the host calls per event.
    let handler: Function = lua
        .load(
            r#"
            http.addListener(8081)
            print("serving http://127.0.0.1:8081/ (5 requests)")
            return function(event, port, req, res)
              res.write(("%s %s on port %d\n"):format(req.getMethod(), req.getURL(), port))
              res.close()
            end
            "#,
        )
        .eval()?;

    runtime.block_on(async {
        for _ in 0..5 {
            let Some(event) = poll_fn(|cx| queue.poll_pop(cx)).await else {
                break;
            };
            let values: MultiValue = event_to_lua(&lua, event)?;
            handler.call::<()>(values)?;
        }
        Ok::<_, craftos_http_lua::mlua::Error>(())
    })?;
    drop(lua);
    transport_release(&transport, computer.id);
    Ok(())
}

fn transport_release(transport: &HyperTransport, id: ComputerId) {
    use craftos_http_core::Listeners;
    transport.release(id);
}
