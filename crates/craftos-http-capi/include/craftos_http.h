/*
 * craftos_http.h: the C ABI of craftos-http, CraftOS-PC's HTTP and
 * WebSocket server API (http.listen, http.addListener,
 * http.removeListener, http.websocketServer and their events) for an
 * emulator's Lua 5.2 computers.
 *
 * The library serves sockets on threads of its own (a "host") and puts the
 * `http` functions into Lua states the emulator made. Each computer's
 * events wait in a queue the emulator drains on the computer's thread with
 * craftos_http_poll, which pushes the event's values onto the Lua stack,
 * exactly as `os.pullEvent()` must return them ("http_request", port,
 * request, response). The emulator keeps its own scheduler and its own
 * `os.pullEvent`; to learn that an event arrived it either registers a
 * notify callback (called from a socket thread) or blocks in
 * craftos_http_wait.
 *
 *     craftos_http_host *host = craftos_http_host_new(NULL);
 *     lua_State *L = luaL_newstate();
 *     luaL_openlibs(L);
 *     craftos_http_computer *c = craftos_http_install(host, L, 0, NULL, NULL);
 *     ... run the computer; in its os.pullEvent:
 *         int n = craftos_http_poll(c, L);  // n values pushed, 0: none
 *     craftos_http_computer_free(c);        // shutdown: ports freed, 503s
 *     lua_close(L);
 *     craftos_http_host_free(host);
 *
 * One Lua. The library contains no Lua: its lua_* symbols are resolved
 * when it is loaded, from the program (or the shared liblua5.2 it links),
 * so it and the emulator use the same copy, as they must (two copies of
 * Lua in one process corrupt each other's states). Link the program
 * against a shared Lua 5.2 (`-llua5.2`), or, with a static one, export its
 * symbols (`-Wl,-E`). craftos_http_install refuses a state made by
 * another copy of Lua than the one the library resolved.
 *
 * Errors. Functions that can fail return NULL or -1 and leave a message
 * for craftos_http_last_error. No panic or Lua error crosses out of these
 * functions; none of them raises in the Lua state.
 *
 * Threads. A lua_State is used only on the thread that runs it:
 * craftos_http_install and craftos_http_poll run there. The other
 * functions may be called from any thread, except from a notify callback
 * (see craftos_http_notify_fn).
 */
#ifndef CRAFTOS_HTTP_H
#define CRAFTOS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Lua's state, from lua.h (the library needs nothing else of it here). */
struct lua_State;

/* The socket threads and the ports of any number of computers. */
typedef struct craftos_http_host craftos_http_host;

/* One computer's `http`: its listeners and its event queue. */
typedef struct craftos_http_computer craftos_http_computer;

/*
 * How a host binds and what it accepts. Fill it with
 * craftos_http_options_init, then change what you need: fields may be
 * added at the end in later versions, and `size` tells the library which
 * ones this program knows (the others keep their defaults).
 */
typedef struct craftos_http_options {
    /* sizeof(craftos_http_options), set by craftos_http_options_init. */
    size_t size;
    /* The address listeners bind (copied): "127.0.0.1" (the default,
     * NULL), "0.0.0.0" or "::" to serve other machines. */
    const char *bind;
    /* Origins WebSocket handshakes are accepted from, a NULL-terminated
     * array (copied); NULL (the default): any origin. */
    const char *const *ws_origins;
    /* Threads serving the sockets; default 1, at most 1024. */
    uint32_t io_threads;
    /* Per computer: pending events before new requests wait for room
     * (503 at the response deadline). Default 256. */
    uint32_t event_bound;
    /* Per computer: open connections at once; more get 503 and are
     * closed. Default 4096. */
    uint32_t max_connections;
    /* Largest request body in bytes; larger ones get 413 and no event.
     * Default 16777216. */
    uint64_t max_body;
    /* Per computer: request body bytes held at once; a body that would go
     * over gets 503. Default 67108864. */
    uint64_t max_buffered;
    /* Largest WebSocket message either way, bytes. Default 131072. */
    uint64_t ws_max_message;
    /* Bytes queued to one WebSocket client before `send` waits. Default
     * 1048576. */
    uint64_t ws_max_outbox;
    /* Seconds a response may stay open after its event was queued; then it
     * is sent as it stands. Default 15. */
    double response_timeout;
    /* Seconds a request body may send nothing before it gets 408. Default
     * 30. */
    double body_timeout;
} craftos_http_options;

/*
 * Called when an event was queued for the computer, from one of the host's
 * socket threads, once per event, with the `userdata` given to
 * craftos_http_install. Meant to wake the emulator's loop (signal a
 * condition variable, write to a pipe, post a message), which then calls
 * craftos_http_poll on the computer's thread. It must return quickly and
 * must not call into Lua, craftos_http_release, craftos_http_computer_free
 * or craftos_http_host_free (those wait for callbacks in progress).
 */
typedef void (*craftos_http_notify_fn)(void *userdata);

/* The library's version, e.g. "0.1.0". Never NULL. */
const char *craftos_http_version(void);

/* The Lua version the library was built for, as LUA_VERSION_NUM (502). */
int craftos_http_lua_version(void);

/*
 * Why the last failing call on this thread failed, or NULL if the last
 * call succeeded. Valid until the next craftos_http_* call on this thread.
 */
const char *craftos_http_last_error(void);

/* Fill `options` with the defaults (and `size`). */
void craftos_http_options_init(craftos_http_options *options);

/*
 * A host: starts its socket threads. `options` may be NULL (the
 * defaults). NULL on failure (an invalid option: see
 * craftos_http_last_error).
 */
craftos_http_host *craftos_http_host_new(const craftos_http_options *options);

/*
 * Shut the host down: release every computer still installed (as
 * craftos_http_release does), wait up to 2 seconds for connections to
 * finish sending, stop the threads and free the host. Computer handles
 * stay valid (released) until freed. NULL is ignored.
 */
void craftos_http_host_free(craftos_http_host *host);

/*
 * Install `http` into `L` for computer `id` of `host`: adds
 * http.addListener, http.removeListener, http.listen and
 * http.websocketServer to the global `http` table (created if absent;
 * functions already in it, such as an emulator's http.request, are kept).
 * `L` is the computer's state (or one of its threads); the computer's
 * script must be able to call `os.pullEvent`, `os.pullEventRaw`,
 * `os.queueEvent`, `os.startTimer` and `os.cancelTimer`, which the
 * emulator provides. `notify` may be NULL.
 *
 * Returns the computer's handle, or NULL: `L` already has `http` from this
 * library, `id` is installed on the host and not released, `L` was made
 * by another copy of Lua, or Lua ran out of memory.
 *
 * Runs on L's thread. Nothing is left on L's stack.
 */
craftos_http_computer *craftos_http_install(craftos_http_host *host, struct lua_State *L,
                                            uint32_t id, craftos_http_notify_fn notify,
                                            void *userdata);

/*
 * Take the computer's oldest event and push its values onto L's stack:
 * returns how many (at least 1; the first is the event's name), 0 if no
 * event is pending (or the computer is released), -1 on failure (L is not
 * the computer's state, L's stack cannot grow, Lua ran out of memory: the
 * event was answered as its shutdown would, a request with 503). Call it
 * on L's thread, from C or from inside a C function Lua called (an
 * `os.pullEvent` in C). Never raises.
 */
int craftos_http_poll(craftos_http_computer *computer, struct lua_State *L);

/* How many events are pending. Any thread. */
size_t craftos_http_pending(const craftos_http_computer *computer);

/*
 * Block until an event is pending or `timeout_ms` milliseconds pass
 * (negative: no limit). Returns 1 if an event is pending, 0 on timeout,
 * -1 if the computer is released (or NULL). Any thread; a loop that also
 * waits for events of its own uses the notify callback instead.
 */
int craftos_http_wait(const craftos_http_computer *computer, int64_t timeout_ms);

/*
 * Shut the computer down, as CraftOS-PC does when a computer stops (L6):
 * its ports are freed at once, its unanswered requests get 503 (those
 * polled and not closed, and those still queued), its WebSocket clients
 * are closed with 1001, and the notify callback is never called again
 * (this waits for a call in progress). Then craftos_http_poll returns 0,
 * craftos_http_wait -1, and the script's http.addListener fails. The
 * handle stays valid until freed; the id may be installed again (a
 * reboot: a new lua_State). Idempotent; any thread.
 */
void craftos_http_release(craftos_http_computer *computer);

/*
 * Release the computer (if it is not) and free its handle. Before or
 * after lua_close of its state, in either order. NULL is ignored.
 */
void craftos_http_computer_free(craftos_http_computer *computer);

#ifdef __cplusplus
}
#endif

#endif /* CRAFTOS_HTTP_H */
