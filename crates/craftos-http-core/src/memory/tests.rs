use std::sync::Arc;
use std::thread;
use std::time::Duration;

use bytes::Bytes;

use super::*;
use crate::{EventQueue, Limits, Outgoing};

fn setup(limits: Limits, bound: usize) -> (MemoryTransport, Arc<EventQueue>, Computer) {
    let transport = MemoryTransport::new();
    let queue = Arc::new(EventQueue::new(bound));
    let computer = Computer::new(ComputerId(1), queue.clone()).with_limits(limits);
    (transport, queue, computer)
}

fn get(path: &str) -> Request {
    Request::new("GET", path.to_owned(), vec![], Vec::new())
}

#[test]
fn ports_are_owned_per_computer() {
    let (t, _q, a) = setup(Limits::default(), 8);
    let b = Computer::new(ComputerId(2), Arc::new(EventQueue::new(8)));
    t.add_listener(&a, 80).unwrap();
    t.add_listener(&a, 80).expect("re-adding is a no-op (L2)");
    let err = t.add_listener(&b, 80).unwrap_err();
    assert!(err.to_string().contains("Address already in use"), "{err}");
    assert!(matches!(
        t.add_websocket_server(&b, 80, Default::default()),
        Err(WebSocketServerError::Listen(_))
    ));
    t.add_websocket_server(&a, 80, Default::default()).unwrap();
    assert!(matches!(
        t.add_websocket_server(&a, 80, Default::default()),
        Err(WebSocketServerError::AlreadyServing)
    ));
    t.remove_listener(a.id, 80);
    t.remove_websocket_server(a.id, 80);
    assert_eq!(
        t.request(80, get("/")).err(),
        Some(ConnectionRefused { port: 80 })
    );
    t.add_listener(&b, 80).expect("free again");
}

#[test]
fn a_request_reaches_the_computer_and_its_answer_comes_back() {
    let (t, q, c) = setup(Limits::default(), 8);
    t.add_listener(&c, 8080).unwrap();
    let pending = t.request(8080, get("/hi")).unwrap();
    let computer = thread::spawn(move || {
        let event = block_on(std::future::poll_fn(|cx| q.poll_pop(cx))).unwrap();
        let Event::HttpRequest { port, exchange } = event else {
            panic!("not a request")
        };
        assert_eq!(port, 8080);
        assert_eq!(&exchange.request().target()[..], b"/hi");
        exchange.set_status(201, None).unwrap();
        exchange.write(b"made").unwrap();
        exchange.close().unwrap();
    });
    let response = pending.wait();
    computer.join().unwrap();
    assert_eq!(response.status, 201);
    assert_eq!(&response.body[..], b"made");
}

#[test]
fn the_transport_answers_426_and_413_without_an_event() {
    let limits = Limits {
        max_body: 4,
        ..Limits::default()
    };
    let (t, q, c) = setup(limits, 8);
    t.add_websocket_server(&c, 1, Default::default()).unwrap();
    assert_eq!(t.request(1, get("/")).unwrap().wait().status, 426);
    t.add_listener(&c, 2).unwrap();
    let big = Request::new("POST", "/", vec![], b"12345".to_vec());
    let r = t.request(2, big).unwrap().wait();
    assert_eq!(
        (r.status, r.reason.as_deref()),
        (413, Some(&b"Content Too Large"[..]))
    );
    assert!(q.is_empty());
}

#[test]
fn the_deadline_sends_what_was_written() {
    let limits = Limits {
        response_timeout: Duration::from_millis(50),
        ..Limits::default()
    };
    let (t, q, c) = setup(limits, 8);
    t.add_listener(&c, 1).unwrap();
    let pending = t.request(1, get("/")).unwrap();
    let Some(Event::HttpRequest { exchange, .. }) = q.pop() else {
        panic!("no event")
    };
    exchange.write(b"partial").unwrap();
    let r = pending.wait();
    assert_eq!((r.status, &r.body[..]), (200, &b"partial"[..]));
    assert!(exchange.is_closed());
}

#[test]
fn a_full_queue_answers_503_at_the_deadline_and_loses_nothing_accepted() {
    let limits = Limits {
        response_timeout: Duration::from_millis(50),
        ..Limits::default()
    };
    let (t, q, c) = setup(limits, 1);
    t.add_listener(&c, 1).unwrap();
    let first = t.request(1, get("/1")).unwrap();
    let second = t.request(1, get("/2")).unwrap();
    assert!(first.is_queued() && !second.is_queued());
    let r = second.wait();
    assert_eq!(r.status, 503);
    assert_eq!(q.len(), 1, "only the accepted request is pending");
    let Some(Event::HttpRequest { exchange, .. }) = q.pop() else {
        panic!("no event")
    };
    assert_eq!(&exchange.request().target()[..], b"/1");
    drop(first);
}

#[test]
fn release_answers_503_and_closes_clients_1001() {
    let (t, q, c) = setup(Limits::default(), 8);
    t.add_listener(&c, 1).unwrap();
    t.add_websocket_server(&c, 1, Default::default()).unwrap();
    let pending = t.request(1, get("/")).unwrap();
    let Ok(Upgrade::Accepted(mut peer, _)) = t.connect(1, get("/")) else {
        panic!("not accepted")
    };
    t.release(c.id);
    assert_eq!(pending.wait().status, 503);
    assert_eq!(
        peer.recv(Duration::from_secs(1)),
        Some(Outgoing::Close {
            code: 1001,
            reason: Bytes::new()
        })
    );
    assert!(t.request(1, get("/")).is_err(), "the port is free");
    drop(q);
}

#[test]
fn websocket_events_come_in_order_and_limits_close_the_client() {
    let limits = Limits {
        ws_max_message: 4,
        ..Limits::default()
    };
    let (t, q, c) = setup(limits, 16);
    t.add_websocket_server(&c, 9, Default::default()).unwrap();
    let Ok(Upgrade::Accepted(mut peer, _)) = t.connect(9, get("/")) else {
        panic!("not accepted")
    };
    peer.send(b"hi", false).unwrap();
    peer.send(b"\xff", true).unwrap();
    peer.send(b"12345", true).unwrap();
    assert!(peer.is_ended());
    assert_eq!(peer.send(b"x", false), Err(PeerError::Closed));
    let names: Vec<_> = std::iter::from_fn(|| q.pop()).map(|e| e.name()).collect();
    assert_eq!(
        names,
        [
            "websocket_server_connect",
            "websocket_server_message",
            "websocket_server_message",
            "websocket_server_closed"
        ]
    );
    assert!(matches!(
        peer.recv(Duration::from_secs(1)),
        Some(Outgoing::Close { code: 1009, .. })
    ));

    let Ok(Upgrade::Accepted(mut peer, _)) = t.connect(9, get("/")) else {
        panic!("not accepted")
    };
    peer.send(b"\xff", false).unwrap();
    let last = std::iter::from_fn(|| q.pop()).last().unwrap();
    assert!(matches!(
        last,
        Event::WebSocketClosed {
            close: Some((1007, _)),
            ..
        }
    ));
}

#[test]
fn the_script_sends_and_the_peer_closes() {
    let (t, q, c) = setup(Limits::default(), 16);
    t.add_websocket_server(&c, 9, Default::default()).unwrap();
    let Ok(Upgrade::Accepted(mut peer, _)) = t.connect(9, get("/")) else {
        panic!("not accepted")
    };
    let Some(Event::WebSocketConnect { client, .. }) = q.pop() else {
        panic!("no connect")
    };
    client.send(b"\xffok", false).unwrap();
    assert_eq!(
        peer.recv(Duration::from_secs(1)),
        Some(Outgoing::Text(Bytes::from("\u{fffd}ok")))
    );
    peer.close(Some((4000, Bytes::from_static(b"bye"))));
    assert_eq!(
        peer.recv(Duration::from_secs(1)),
        Some(Outgoing::CloseEcho(Bytes::from_static(b"\x0f\xa0bye")))
    );
    assert!(matches!(
        q.pop(),
        Some(Event::WebSocketClosed {
            close: Some((4000, _)),
            ..
        })
    ));
    assert_eq!(
        client.send(b"x", false),
        Err(crate::WebSocketSendError::Closed)
    );
}

#[test]
fn connections_over_the_limit_get_503() {
    let limits = Limits {
        max_connections: 1,
        ..Limits::default()
    };
    let (t, q, c) = setup(limits, 8);
    t.add_listener(&c, 1).unwrap();
    let first = t.request(1, get("/1")).unwrap();
    assert_eq!(t.request(1, get("/2")).unwrap().wait().status, 503);
    let Some(Event::HttpRequest { exchange, .. }) = q.pop() else {
        panic!("no event")
    };
    exchange.close().unwrap();
    assert_eq!(first.wait().status, 200);
    assert!(t.request(1, get("/3")).unwrap().is_queued(), "room again");
}

#[test]
fn bodies_held_at_once_are_bounded_per_computer() {
    let limits = Limits {
        max_buffered: 10,
        ..Limits::default()
    };
    let (t, q, c) = setup(limits, 8);
    t.add_listener(&c, 1).unwrap();
    let post = |n: usize| Request::new("POST", "/", vec![], vec![b'x'; n]);
    let first = t.request(1, post(6)).unwrap();
    // 6 + 5 > 10: answered 503 with no event; an empty body holds nothing.
    assert_eq!(t.request(1, post(5)).unwrap().wait().status, 503);
    let empty = t.request(1, get("/")).unwrap();
    assert!(empty.is_queued());
    let second = t.request(1, post(4)).unwrap();
    assert!(second.is_queued());
    for _ in 0..3 {
        let Some(Event::HttpRequest { exchange, .. }) = q.pop() else {
            panic!("no event")
        };
        exchange.close().unwrap();
    }
    assert!(q.pop().is_none(), "the refused request made an event");
    for pending in [first, empty, second] {
        assert_eq!(pending.wait().status, 200);
    }
    // Answered and dropped: the bytes are free again.
    assert!(t.request(1, post(10)).unwrap().is_queued());
}

#[test]
fn a_full_outbox_makes_send_wait_for_the_peer() {
    let limits = Limits {
        ws_max_outbox: 8,
        ..Limits::default()
    };
    let (t, q, c) = setup(limits, 16);
    t.add_websocket_server(&c, 9, Default::default()).unwrap();
    let Ok(Upgrade::Accepted(mut peer, _)) = t.connect(9, get("/")) else {
        panic!("not accepted")
    };
    let Some(Event::WebSocketConnect { client, .. }) = q.pop() else {
        panic!("no connect")
    };
    client.send(b"12345678", true).unwrap();
    assert_eq!(
        client.send(b"9", true),
        Err(crate::WebSocketSendError::Full)
    );
    // Pings meanwhile: their pongs go first.
    peer.ping(b"a").unwrap();
    peer.ping(b"b").unwrap();
    for p in [&b"a"[..], b"b"] {
        assert_eq!(
            peer.recv(Duration::from_secs(1)),
            Some(Outgoing::Pong(Bytes::copy_from_slice(p)))
        );
    }
    assert!(q.pop().is_none(), "ready before the peer took the message");
    assert!(matches!(
        peer.recv(Duration::from_secs(1)),
        Some(Outgoing::Binary(_))
    ));
    let Some(Event::WebSocketSendReady { client: ready }) = q.pop() else {
        panic!("no websocket_server_send_ready")
    };
    assert_eq!(ready.id(), client.id());
    client.send(b"9", true).unwrap();
}
