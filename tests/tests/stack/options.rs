//! The runner's duration and size options never crash it: a value out of
//! range (one a deadline would overflow on, or that is not a positive
//! number) is refused with exit status 2 and a clear message before the
//! script runs; the largest accepted value serves requests.

use std::time::Duration;

use craftos_http_tests::STEP;
use craftos_http_tests::port::free_port;
use craftos_http_tests::raw;

use crate::process::{Runner, serve};

const PRINTS: &str = "print(\"ran\")\n";

/// Run the binary with `options` on a script that only prints.
fn refused(options: &[&str]) -> String {
    let exit = Runner::spawn_with(options, "prints.lua", PRINTS, &[]).wait(STEP);
    assert_eq!(exit.code, Some(2), "{options:?} was accepted: {exit:?}");
    assert!(!exit.stdout.contains("ran"), "{options:?}: the script ran");
    assert!(!exit.stderr.contains("panicked"), "{options:?}: {exit:?}");
    exit.stderr
}

#[test]
fn duration_options_out_of_range_are_refused() {
    for option in ["--response-timeout", "--abort-timeout", "--body-timeout"] {
        for value in ["1e19", "1e20", "1e10", "inf", "NaN", "0", "-1", "soon"] {
            let stderr = refused(&[&format!("{option}={value}")]);
            assert!(
                stderr.contains(option) && stderr.contains("seconds"),
                "{option} {value}: {stderr}"
            );
        }
    }
}

#[test]
fn too_many_io_threads_are_refused() {
    let stderr = refused(&["--io-threads", "100000"]);
    assert!(stderr.contains("--io-threads"), "{stderr}");
    assert!(stderr.contains("1024"), "{stderr}");
}

#[test]
fn the_largest_durations_serve_requests() {
    let port = free_port();
    let server = serve(
        "once.lua",
        "http.listen(tonumber((...)), function(req, res)\n\
           res.write(\"ok\") res.close() return true\n\
         end)\n",
        &[
            "--response-timeout",
            "1e9",
            "--abort-timeout",
            "1e9",
            "--body-timeout",
            "1e9",
        ],
        port,
    );
    let response = raw::request(port, "POST", "/", b"body");
    assert_eq!((response.status, response.text()), (200, "ok".to_owned()));
    let exit = server.wait(Duration::from_secs(5));
    assert_eq!(exit.code, Some(0), "{exit:?}");
}
