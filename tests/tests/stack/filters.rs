//! Events a script's filter skips (issue 15): CC discards them, but a
//! request discarded so must not look answered. An `http.listen` callback
//! that sleeps consumes the requests queued meanwhile (`sleep` waits for
//! its `timer`): each gets `503` at once instead of an empty `200` at the
//! response deadline.

use std::time::{Duration, Instant};

use craftos_http_tests::STEP;
use craftos_http_tests::binary::Process;
use craftos_http_tests::port::{free_port, wait_for_port};
use craftos_http_tests::raw;

#[test]
fn requests_a_filter_skips_get_503_at_once() {
    // The runner itself (the in-process test server runs scripts inside
    // `parallel`, whose own filtering is Lua's).
    let port = free_port();
    let mut process = Process::spawn(
        "sleepy.lua",
        r#"
http.listen(tonumber((...)), function(req, res)
  if req.getURL() == "/stop" then
    res.close()
    return true
  end
  sleep(0.5)
  res.write("slept")
  res.close()
end)
"#,
        &[&port.to_string()],
    );
    assert!(wait_for_port(port, STEP, || process.has_exited()));
    let started = Instant::now();
    let clients: Vec<_> = (0..3)
        .map(|i| {
            std::thread::spawn(move || {
                // Let the first one reach the callback first.
                std::thread::sleep(Duration::from_millis(if i == 0 { 0 } else { 100 }));
                raw::get(port, &format!("/{i}"))
            })
        })
        .collect();
    let answers: Vec<raw::Response> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let elapsed = started.elapsed();
    assert_eq!(answers[0].status, 200);
    assert_eq!(answers[0].body, b"slept");
    for answer in &answers[1..] {
        assert_eq!(answer.status, 503, "{answer:?}");
    }
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    assert_eq!(raw::get(port, "/stop").status, 200);
    let exit = process.wait(STEP);
    assert_eq!(exit.code, Some(0), "{exit:?}");
    assert!(
        exit.stderr.contains("http_request skipped"),
        "warned: {exit:?}"
    );
}
