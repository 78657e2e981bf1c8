/*
 * embed.c: an emulator in miniature, embedding libcraftos_http against the
 * system's Lua 5.2, and the test of the C ABI (`cargo xtask capi` builds
 * and runs it).
 *
 *     embed PORT
 *
 * It makes a computer the way an emulator does: a lua_State of its own
 * (luaL_newstate, luaL_openlibs), its script run in a coroutine by a
 * scheduler of its own that resumes it with each event (`os.pullEvent`
 * yields), and `http` from the library, whose events the scheduler takes
 * with craftos_http_poll. The computer's script serves PORT with
 * http.listen (and opens a WebSocket server on PORT + 1); a client
 * thread of this program sends it real HTTP requests over 127.0.0.1 and
 * checks the answers. Then the computer shuts down with a request
 * unanswered (it must get 503) and the port must be free. Every wait is
 * bounded; exit status 0 when every check passed.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "craftos_http.h"

/* How long the computer waits for an event before the test fails. */
#define EVENT_TIMEOUT_MS 10000
#define COMPUTER_ID 7

static int failures = 0;

/* The last error, or "" (craftos_http_last_error is NULL after a success). */
static const char *last_error(void) {
    const char *e = craftos_http_last_error();
    return e ? e : "";
}

static void check(int ok, const char *what, ...) {
    va_list args;
    va_start(args, what);
    printf("%s ", ok ? "ok  " : "FAIL");
    vprintf(what, args);
    printf("\n");
    fflush(stdout);
    va_end(args);
    if (!ok) failures++;
}

/* ---- the computer's side ------------------------------------------------ */

static craftos_http_computer *computer;
static int port;
static atomic_int notified;

/* The notify callback: a socket thread says an event is queued. A real
 * emulator wakes its loop here; this one counts. */
static void on_event(void *userdata) {
    atomic_fetch_add((atomic_int *)userdata, 1);
}

static int get_computer_id(lua_State *L) {
    lua_pushinteger(L, COMPUTER_ID);
    return 1;
}

/* The computer's os.pullEvent and os.pullEventRaw: its coroutine yields to
 * the emulator's scheduler (run_computer), which resumes it with the next
 * event, as CraftOS-PC's do. (No os.queueEvent or timers: the script needs
 * none.) */
static const char *OS_LUA =
    "function os.pullEventRaw(filter) return coroutine.yield(filter) end\n"
    "function os.pullEvent(filter)\n"
    "  local ev = table.pack(os.pullEventRaw(filter))\n"
    "  if ev[1] == 'terminate' then error('Terminated', 0) end\n"
    "  return table.unpack(ev, 1, ev.n)\n"
    "end\n";

/* `from` into `to` (`size` bytes), cut if longer. */
static void copy(char *to, size_t size, const char *from) {
    size_t len = from ? strlen(from) : 0;
    if (len >= size) len = size - 1;
    if (len) memcpy(to, from, len);
    to[len] = 0;
}

/* Wait for the computer's next http event (at most EVENT_TIMEOUT_MS) and
 * push its values onto L: how many; 0 on failure, with why in `why`. */
static int next_http_event(lua_State *L, char *why, size_t size) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int n = craftos_http_poll(computer, L);
        if (n > 0) return n;
        if (n < 0) {
            copy(why, size, craftos_http_last_error());
            return 0;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        long waited = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (waited >= EVENT_TIMEOUT_MS || craftos_http_wait(computer, EVENT_TIMEOUT_MS - waited) < 0) {
            copy(why, size, "no event came");
            return 0;
        }
    }
}

/* The emulator's scheduler for one computer: runs `script` (with the port
 * as its argument) in a coroutine of L to its end, resuming it with each
 * event it waits for. 1 if it returned (its first result in `result`), 0
 * if it failed (the error in `result`). L's stack is left as it was. */
static int run_computer(lua_State *L, const char *script, char *result, size_t size) {
    int top = lua_gettop(L);
    lua_State *co = lua_newthread(L); /* anchored on L's stack */
    int ok = 0;
    if (luaL_loadstring(co, script) != LUA_OK) {
        copy(result, size, lua_tostring(co, -1));
        goto out;
    }
    lua_pushinteger(co, port);
    int nargs = 1;
    for (;;) {
        int status = lua_resume(co, L, nargs);
        if (status != LUA_YIELD) {
            ok = status == LUA_OK;
            copy(result, size, lua_gettop(co) > 0 ? lua_tostring(co, -1) : "");
            goto out;
        }
        /* It waits for an event, of the name it yielded (if any). */
        char filter[64];
        copy(filter, sizeof filter, lua_type(co, 1) == LUA_TSTRING ? lua_tostring(co, 1) : "");
        lua_settop(co, 0);
        for (;;) {
            int n = next_http_event(L, result, size);
            if (n == 0) goto out;
            const char *name = lua_tostring(L, -n);
            if (!filter[0] || strcmp(name, filter) == 0 || strcmp(name, "terminate") == 0) {
                lua_xmove(L, co, n);
                nargs = n;
                break;
            }
            lua_pop(L, n);
        }
    }
out:
    lua_settop(L, top);
    return ok;
}

/* The computer's script: serves until /hold, which it leaves unanswered. */
static const char *SCRIPT =
    "local port = ...\n"
    "assert(_VERSION == 'Lua 5.2', _VERSION)\n"
    "ws = http.websocketServer(port + 1) -- kept (a global) until the state closes\n"
    "http.listen(port, function(req, res)\n"
    "  local url = req.getURL()\n"
    "  if url == '/hold' then return true end\n"
    "  res.setResponseHeader('X-Computer', tostring(os.getComputerID()))\n"
    "  if url == '/echo' then\n"
    "    res.write(req.getMethod() .. ' ' .. req.readAll())\n"
    "  else\n"
    "    res.write('hello from computer ' .. os.getComputerID() .. ': ' .. req.getMethod() .. ' ' .. url)\n"
    "  end\n"
    "  res.close()\n"
    "end)\n"
    "return 'served'\n";

/* ---- the client's side ------------------------------------------------- */

struct reply {
    int status;
    char head[2048];
    char body[2048];
};


/* One request over a new connection (HTTP/1.1, Connection: close); the
 * status line's code, the head and the body. -1 if it could not connect. */
static int request(const char *method, const char *path, const char *body, struct reply *out) {
    memset(out, 0, sizeof *out);
    out->status = -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct timeval tv = {EVENT_TIMEOUT_MS / 1000 + 5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    char req[1024];
    int len = snprintf(req, sizeof req,
                       "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                       "Content-Length: %zu\r\n\r\n%s",
                       method, path, port, strlen(body), body);
    if (write(fd, req, (size_t)len) != len) {
        close(fd);
        return -1;
    }
    char buf[8192];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof buf - 1 && (r = read(fd, buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)r;
    buf[got] = 0;
    close(fd);
    char *end = strstr(buf, "\r\n\r\n");
    if (sscanf(buf, "HTTP/1.1 %d", &out->status) != 1 || end == NULL) return out->status = 0;
    *end = 0;
    copy(out->head, sizeof out->head, buf);
    copy(out->body, sizeof out->body, end + 4);
    return out->status;
}

/* Whether something accepts connections on `p`. */
static int can_connect(int p) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)p);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0;
    int err = errno;
    close(fd);
    errno = err;
    return ok;
}

/* A head line `name: value` (case as the transport sends it). */
static int has_header(const struct reply *r, const char *line) {
    return strstr(r->head, line) != NULL;
}

static struct reply hold_reply;

static void *client(void *unused) {
    (void)unused;
    struct reply r;
    /* The script binds the port when it starts: try for a while. */
    int tries = 0;
    while (request("GET", "/hello", "", &r) < 0 && tries++ < 200) nanosleep(&(struct timespec){0, 25000000}, NULL);
    check(r.status == 200, "GET /hello: status %d", r.status);
    check(strcmp(r.body, "hello from computer 7: GET /hello") == 0, "GET /hello: body \"%s\"", r.body);
    check(has_header(&r, "X-Computer: 7"), "GET /hello: the script's header");

    request("POST", "/echo", "ping", &r);
    check(r.status == 200 && strcmp(r.body, "POST ping") == 0, "POST /echo: %d \"%s\"", r.status,
          r.body);

    /* Left unanswered: the computer's shutdown answers it. */
    request("GET", "/hold", "", &hold_reply);
    return NULL;
}

/* ---- the emulator ---------------------------------------------------------- */

int main(int argc, char **argv) {
    if (argc != 2 || (port = atoi(argv[1])) <= 0 || port > 65534) {
        fprintf(stderr, "usage: %s PORT (PORT + 1 is used too)\n", argv[0]);
        return 2;
    }
    printf("libcraftos_http %s for Lua %d\n", craftos_http_version(), craftos_http_lua_version());

    craftos_http_options options;
    craftos_http_options_init(&options);
    options.bind = "127.0.0.1";
    options.io_threads = 2;
    options.response_timeout = 30; /* longer than the test: /hold must get its 503 from the shutdown */
    craftos_http_host *host = craftos_http_host_new(&options);
    check(host != NULL, "craftos_http_host_new");
    if (host == NULL) return 1;

    options.bind = "not an address";
    craftos_http_host *bad = craftos_http_host_new(&options);
    check(bad == NULL && strstr(last_error(), "bind") != NULL, "an invalid bind address is refused: %s",
          last_error());
    craftos_http_host_free(bad);

    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_getglobal(L, "os");
    lua_pushcfunction(L, get_computer_id);
    lua_setfield(L, -2, "getComputerID");
    lua_pop(L, 1);
    if (luaL_dostring(L, OS_LUA) != LUA_OK) {
        fprintf(stderr, "%s\n", lua_tostring(L, -1));
        return 1;
    }

    computer = craftos_http_install(host, L, COMPUTER_ID, on_event, &notified);
    check(computer != NULL, "craftos_http_install: %s", computer ? "a computer" : last_error());
    if (computer == NULL) return 1;
    check(lua_gettop(L) == 0, "install leaves nothing on the stack");
    craftos_http_computer *twice = craftos_http_install(host, L, 8, NULL, NULL);
    check(twice == NULL && strstr(last_error(), "already installed") != NULL,
          "a second install into the same state is refused: %s", last_error());

    lua_State *other = luaL_newstate();
    craftos_http_computer *same_id = craftos_http_install(host, other, COMPUTER_ID, NULL, NULL);
    check(same_id == NULL && strstr(last_error(), "already installed on this host") != NULL,
          "the same id twice on one host is refused: %s", last_error());
    int polled = craftos_http_poll(computer, other);
    check(polled == -1 && strstr(last_error(), "not the one computer 7") != NULL,
          "polling with another state is refused: %s", last_error());
    polled = craftos_http_poll(computer, L);
    check(polled == 0 && craftos_http_last_error() == NULL, "no event yet: poll returns 0");
    check(craftos_http_wait(computer, 10) == 0, "no event yet: wait times out");

    pthread_t thread;
    pthread_create(&thread, NULL, client, NULL);

    /* Run the computer: the script to its end. */
    char result[512];
    int ran = run_computer(L, SCRIPT, result, sizeof result);
    check(ran && strcmp(result, "served") == 0, "the script: %s", result);
    check(lua_gettop(L) == 0, "polling leaves nothing on the stack");
    check(atomic_load(&notified) >= 3, "the notify callback was called (%d times)",
          atomic_load(&notified));

    check(!can_connect(port), "http.listen removed its listener when it returned");
    check(can_connect(port + 1), "the websocket server's port is open");

    /* Shut the computer down with /hold unanswered (L6). */
    craftos_http_release(computer);
    pthread_join(thread, NULL);
    check(hold_reply.status == 503, "the unanswered request got %d at shutdown", hold_reply.status);
    check(!can_connect(port + 1) && errno == ECONNREFUSED, "the websocket port is free after release");
    check(craftos_http_poll(computer, L) == 0, "a released computer polls nothing");
    check(craftos_http_wait(computer, -1) == -1, "a released computer does not wait");

    /* A reboot: the same id again, in a new state. */
    lua_State *again = luaL_newstate();
    luaL_openlibs(again);
    craftos_http_computer *rebooted = craftos_http_install(host, again, COMPUTER_ID, NULL, NULL);
    check(rebooted != NULL, "the id may be installed again once released");
    lua_close(again);
    craftos_http_computer_free(rebooted);

    lua_close(L);
    lua_close(other);
    craftos_http_computer_free(computer);
    craftos_http_host_free(host);

    printf("%s: %d failed\n", failures ? "FAILED" : "passed", failures);
    return failures ? 1 : 0;
}
