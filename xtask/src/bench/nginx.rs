//! The third contender of `bench http` and `bench ws`: nginx with ngx_lua
//! (LuaJIT), one process (`master_process off`, so the process measured is
//! the one serving), started in the foreground with a prefix of its own
//! under the log directory, never the system's service or configuration.
//!
//! It is there when `nginx` and the Lua module are installed (Debian:
//! `apt-get install nginx libnginx-mod-http-lua lua-nginx-websocket`);
//! otherwise the benchmark says so and runs without it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use anyhow::Context as _;

use super::server::Pinning;

/// The name of the contender in tables and logs.
pub(crate) const NAME: &str = "nginx-lua";

/// What to install when nginx or its Lua module is missing.
pub(crate) const INSTALL_HINT: &str =
    "apt-get install nginx libnginx-mod-http-lua lua-nginx-websocket";

/// Where Debian puts nginx's dynamic modules.
const MODULES: &str = "/usr/lib/nginx/modules";

/// Where Debian puts the Lua libraries ngx_lua loads (`resty.core`, and
/// `nginx.websocket.server` of lua-nginx-websocket).
const LUA_PATH: &str = "/usr/share/lua/5.1";

/// What nginx serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// "hello" to every request, as `benches/lua/hello.lua` does.
    Hello,
    /// Every WebSocket message echoed (lua-resty-websocket), as
    /// `examples/ws-echo.lua` does.
    WsEcho,
}

/// An installed nginx with the Lua module.
#[derive(Debug, Clone)]
pub(crate) struct Nginx {
    binary: PathBuf,
    /// `load_module` lines for the modules the Lua module needs.
    modules: Vec<PathBuf>,
}

/// The installed nginx, looked for once: `Err` says what is missing.
pub(crate) fn installed() -> Result<&'static Nginx, &'static str> {
    static FOUND: OnceLock<Result<Nginx, String>> = OnceLock::new();
    FOUND.get_or_init(find).as_ref().map_err(|why| why.as_str())
}

fn find() -> Result<Nginx, String> {
    let binary = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| "no nginx binary".to_owned())?;
    let modules: Vec<PathBuf> = ["ndk_http_module.so", "ngx_http_lua_module.so"]
        .iter()
        .map(|m| Path::new(MODULES).join(m))
        .collect();
    if let Some(missing) = modules.iter().find(|m| !m.is_file()) {
        return Err(format!("no {}", missing.display()));
    }
    let nginx = Nginx { binary, modules };
    // The configuration must load: `nginx -t` on a hello site.
    let dir = std::env::temp_dir().join(format!("xtask-nginx-probe-{}", std::process::id()));
    let result = nginx.check(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    result.map(|()| nginx)
}

impl Nginx {
    /// `nginx -t` with a hello site in `dir`.
    fn check(&self, dir: &Path) -> Result<(), String> {
        let conf = self
            .prefix(dir, Site::Hello, 1)
            .map_err(|err| format!("{err:#}"))?;
        let out = Command::new(&self.binary)
            .arg("-t")
            .args(prefix_args(dir, &conf))
            .stdin(Stdio::null())
            .output()
            .map_err(|err| format!("running {}: {err}", self.binary.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "`nginx -t` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    /// Writes nginx's prefix directory `dir` (its configuration for `site`
    /// on 127.0.0.1:`port`, and the directories it writes to); returns the
    /// configuration's path.
    fn prefix(&self, dir: &Path, site: Site, port: u16) -> anyhow::Result<PathBuf> {
        std::fs::create_dir_all(dir.join("tmp"))
            .with_context(|| format!("creating {}", dir.display()))?;
        std::fs::create_dir_all(dir.join("logs"))?;
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, config(&self.modules, site, port))
            .with_context(|| format!("writing {}", conf.display()))?;
        Ok(conf)
    }

    /// The command serving `site` on 127.0.0.1:`port`, pinned to the
    /// server's core, in a new prefix directory under `logs`.
    pub(crate) fn command(
        &self,
        pinning: Pinning,
        logs: &Path,
        site: Site,
        port: u16,
    ) -> anyhow::Result<Command> {
        let dir = std::path::absolute(logs.join(format!("nginx-{port}")))?;
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
        }
        let conf = self.prefix(&dir, site, port)?;
        let mut command = pinning.server(&self.binary);
        command.args(prefix_args(&dir, &conf));
        Ok(command)
    }
}

/// `-p DIR -c CONF -g ...`: the prefix and configuration given, in the
/// foreground, one process.
fn prefix_args(dir: &Path, conf: &Path) -> Vec<String> {
    vec![
        "-p".to_owned(),
        format!("{}/", dir.display()),
        "-c".to_owned(),
        conf.display().to_string(),
        "-g".to_owned(),
        "daemon off; master_process off;".to_owned(),
    ]
}

/// nginx's configuration: one worker, no access log, errors to stderr,
/// temporary files and the pid file inside the prefix, `site` on
/// 127.0.0.1:`port`.
fn config(modules: &[PathBuf], site: Site, port: u16) -> String {
    let load: String = modules
        .iter()
        .map(|m| format!("load_module {};\n", m.display()))
        .collect();
    let location = match site {
        // Content-Length as hyper sends it for a whole body (nginx would
        // otherwise answer chunked).
        Site::Hello => {
            r#"content_by_lua_block {
        ngx.header["Content-Type"] = "text/plain"
        ngx.header["Content-Length"] = 5
        ngx.print("hello")
      }"#
        }
        Site::WsEcho => {
            r#"content_by_lua_block {
        local server = require "nginx.websocket.server"
        local wb, err = server:new { timeout = 60000, max_payload_len = 65536 }
        if not wb then
          ngx.log(ngx.ERR, "handshake: ", err)
          return ngx.exit(444)
        end
        while true do
          local data, typ, err = wb:recv_frame()
          if not data then
            if not string.find(err or "", "timeout", 1, true) then break end
          elseif typ == "close" then
            wb:send_close()
            break
          elseif typ == "ping" then
            wb:send_pong(data)
          elseif typ == "text" then
            wb:send_text(data)
          elseif typ == "binary" then
            wb:send_binary(data)
          end
        end
      }"#
        }
    };
    format!(
        "{load}worker_processes 1;
worker_rlimit_nofile 16384;
error_log stderr warn;
pid nginx.pid;
events {{ worker_connections 12000; }}
http {{
  access_log off;
  lua_package_path \"{LUA_PATH}/?.lua;;\";
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      {location}
    }}
  }}
}}
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_listens_on_loopback_only() {
        for site in [Site::Hello, Site::WsEcho] {
            let text = config(&[PathBuf::from("/m/a.so")], site, 4321);
            assert!(text.starts_with("load_module /m/a.so;\n"), "{text}");
            assert!(text.contains("listen 127.0.0.1:4321;"), "{text}");
            assert_eq!(text.matches("listen").count(), 1, "{text}");
            assert_eq!(text.matches('{').count(), text.matches('}').count());
        }
    }

    #[test]
    fn one_foreground_process() {
        let args = prefix_args(Path::new("/p"), Path::new("/p/nginx.conf"));
        assert_eq!(args[1], "/p/");
        assert!(args[5].contains("daemon off;") && args[5].contains("master_process off;"));
    }

    /// Serves a hello when nginx is installed (skipped, saying so, when
    /// it is not).
    #[test]
    fn serves_hello_when_installed() {
        let nginx = match installed() {
            Ok(nginx) => nginx,
            Err(why) => {
                eprintln!("skipped: {why}");
                return;
            }
        };
        let logs = std::env::temp_dir().join(format!("xtask-nginx-test-{}", std::process::id()));
        let port = super::super::server::free_port().unwrap();
        let command = nginx
            .command(Pinning::detect(), &logs, Site::Hello, port)
            .unwrap();
        std::fs::create_dir_all(&logs).unwrap();
        let mut server =
            super::super::server::Server::start(NAME, command, logs.join("nginx.log")).unwrap();
        server
            .wait_for_port(port, std::time::Duration::from_secs(15))
            .unwrap();
        use std::io::{Read as _, Write as _};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
        assert!(reply.ends_with("\r\n\r\nhello"), "{reply}");
        drop(server);
        let _ = std::fs::remove_dir_all(&logs);
    }
}
