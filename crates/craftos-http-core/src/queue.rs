//! The per-computer event queue and the sink trait transports push into.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::event::Event;

/// Why [`EventSink::try_send`] gave an event back.
#[derive(Debug)]
pub enum SendError {
    /// The computer has too many pending events (E2): wait with
    /// [`EventSink::poll_ready`] and try again, or give up at the deadline.
    Full(Event),
    /// The computer is shut down; it will take no more events.
    Closed(Event),
}

impl SendError {
    /// The event that was not queued.
    pub fn into_event(self) -> Event {
        match self {
            SendError::Full(e) | SendError::Closed(e) => e,
        }
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Full(_) => f.write_str("the computer's event queue is full"),
            SendError::Closed(_) => f.write_str("the computer is shut down"),
        }
    }
}

impl std::error::Error for SendError {}

/// Where a transport queues a computer's events.
///
/// [`EventQueue`] implements it; an emulator with a queue of its own may
/// implement it to receive events directly. Implementations must not block.
pub trait EventSink: Send + Sync + 'static {
    /// Queue `event`, or give it back if the computer cannot take it now.
    fn try_send(&self, event: Event) -> Result<(), SendError>;

    /// `Ready(Ok)` when a `try_send` may succeed, `Ready(Err)` when the
    /// computer is shut down; otherwise `cx`'s waker is woken when room frees.
    fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), ()>>;
}

/// A bounded FIFO of events for one computer, woken by `Waker`s on both ends.
///
/// Producers (transport tasks) use [`EventSink`]; the computer's thread pops
/// with [`EventQueue::pop`] and registers its waker with
/// [`EventQueue::poll_pop`] when it runs dry. A consumer with no async
/// runtime (an emulator's scheduler on a plain thread) waits with
/// [`EventQueue::pop_timeout`] or [`EventQueue::pop_blocking`] instead.
///
/// The queue has one consumer: `poll_pop` keeps one waker, the last given,
/// and the blocking pops register theirs the same way.
pub struct EventQueue {
    bound: usize,
    state: Mutex<QueueState>,
}

struct QueueState {
    events: VecDeque<Event>,
    pushed: u64,
    closed: bool,
    consumer: Option<Waker>,
    producers: Vec<Waker>,
}

impl EventQueue {
    /// A queue holding at most `bound` pending events (at least one).
    pub fn new(bound: usize) -> Self {
        EventQueue {
            bound: bound.max(1),
            state: Mutex::new(QueueState {
                events: VecDeque::new(),
                pushed: 0,
                closed: false,
                consumer: None,
                producers: Vec::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Take the oldest event.
    pub fn pop(&self) -> Option<Event> {
        let mut s = self.lock();
        let event = s.events.pop_front()?;
        if s.events.len() + 1 == self.bound {
            wake_all(&mut s.producers);
        }
        Some(event)
    }

    /// Take the oldest event, or register `cx`'s waker to be woken when one
    /// arrives. `Ready(None)` once the queue is closed and empty.
    pub fn poll_pop(&self, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        let mut s = self.lock();
        if let Some(event) = s.events.pop_front() {
            if s.events.len() + 1 == self.bound {
                wake_all(&mut s.producers);
            }
            return Poll::Ready(Some(event));
        }
        if s.closed {
            return Poll::Ready(None);
        }
        match &s.consumer {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => s.consumer = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    /// Take the oldest event, waiting up to `timeout` for one to arrive on
    /// this thread. `None` if none came in time, or once the queue is closed
    /// and empty ([`EventQueue::is_closed`] tells which).
    ///
    /// The wait parks the calling thread (the producers' push wakes it
    /// through the waker [`EventQueue::poll_pop`] keeps), so producers pay
    /// nothing for it. A `timeout` too large for the clock waits as
    /// [`EventQueue::pop_blocking`] does.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use craftos_http_core::{Event, EventQueue, EventSink, Exchange, Request};
    ///
    /// let queue = Arc::new(EventQueue::new(16));
    /// // Nothing queued: the wait ends empty-handed after the timeout.
    /// assert!(queue.pop_timeout(Duration::from_millis(10)).is_none());
    ///
    /// // A transport on another thread queues a request meanwhile.
    /// let sink: Arc<dyn EventSink> = queue.clone();
    /// let producer = std::thread::spawn(move || {
    ///     std::thread::sleep(Duration::from_millis(20));
    ///     let exchange = Arc::new(Exchange::new(Request::new("GET", "/", vec![], Vec::new())));
    ///     sink.try_send(Event::http_request(8080, exchange)).unwrap();
    /// });
    /// let event = queue.pop_timeout(Duration::from_secs(10)).expect("the request");
    /// assert_eq!(event.name(), "http_request");
    /// producer.join().unwrap();
    ///
    /// // Once closed (the computer shut down), waits end at once.
    /// queue.close();
    /// assert!(queue.pop_blocking().is_none());
    /// ```
    pub fn pop_timeout(&self, timeout: Duration) -> Option<Event> {
        let deadline = Instant::now().checked_add(timeout);
        crate::memory::park::wait_until(deadline, |cx| self.poll_pop(cx)).flatten()
    }

    /// Take the oldest event, waiting on this thread for as long as it
    /// takes. `None` once the queue is closed and empty. See
    /// [`EventQueue::pop_timeout`].
    pub fn pop_blocking(&self) -> Option<Event> {
        crate::memory::park::wait_until(None, |cx| self.poll_pop(cx)).flatten()
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.lock().events.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many events were ever accepted. A host that merges this queue with
    /// events of its own can order them by comparing this count.
    pub fn pushed_total(&self) -> u64 {
        self.lock().pushed
    }

    /// Stop accepting events and hand back the ones still pending (the host
    /// answers their requests, e.g. with 503). Waiting producers are woken
    /// and see the queue closed.
    pub fn close(&self) -> Vec<Event> {
        let mut s = self.lock();
        s.closed = true;
        wake_all(&mut s.producers);
        if let Some(w) = s.consumer.take() {
            w.wake();
        }
        s.events.drain(..).collect()
    }

    /// Whether [`EventQueue::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }
}

fn wake_all(wakers: &mut Vec<Waker>) {
    for w in wakers.drain(..) {
        w.wake();
    }
}

impl EventSink for EventQueue {
    fn try_send(&self, event: Event) -> Result<(), SendError> {
        let mut s = self.lock();
        if s.closed {
            return Err(SendError::Closed(event));
        }
        if s.events.len() >= self.bound {
            return Err(SendError::Full(event));
        }
        s.events.push_back(event);
        s.pushed += 1;
        if let Some(w) = s.consumer.take() {
            w.wake();
        }
        Ok(())
    }

    fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        let mut s = self.lock();
        if s.closed {
            return Poll::Ready(Err(()));
        }
        if s.events.len() < self.bound {
            return Poll::Ready(Ok(()));
        }
        if !s.producers.iter().any(|w| w.will_wake(cx.waker())) {
            s.producers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

impl fmt::Debug for EventQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.lock();
        f.debug_struct("EventQueue")
            .field("bound", &self.bound)
            .field("pending", &s.events.len())
            .field("closed", &s.closed)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    use super::*;
    use crate::{Exchange, Request};

    struct CountWake(AtomicUsize);
    impl Wake for CountWake {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn event(port: u16) -> Event {
        Event::http_request(port, Arc::new(Exchange::new(Request::default())))
    }

    #[test]
    fn bounded_with_back_pressure_and_fifo() {
        let q = EventQueue::new(2);
        let counter = Arc::new(CountWake(AtomicUsize::new(0)));
        let waker = Waker::from(counter.clone());
        let mut cx = Context::from_waker(&waker);
        q.try_send(event(1)).unwrap();
        q.try_send(event(2)).unwrap();
        assert!(matches!(q.try_send(event(3)), Err(SendError::Full(_))));
        assert!(q.poll_ready(&mut cx).is_pending());
        let Some(Event::HttpRequest { port, .. }) = q.pop() else {
            panic!()
        };
        assert_eq!(port, 1);
        assert_eq!(
            counter.0.load(Ordering::SeqCst),
            1,
            "producer woken when room frees"
        );
        assert!(q.poll_ready(&mut cx).is_ready());
        assert_eq!(q.pushed_total(), 2);
    }

    #[test]
    fn consumer_is_woken_and_close_drains() {
        let q = EventQueue::new(8);
        let counter = Arc::new(CountWake(AtomicUsize::new(0)));
        let waker = Waker::from(counter.clone());
        let mut cx = Context::from_waker(&waker);
        assert!(q.poll_pop(&mut cx).is_pending());
        q.try_send(event(7)).unwrap();
        assert_eq!(counter.0.load(Ordering::SeqCst), 1);
        q.try_send(event(8)).unwrap();
        let left = q.close();
        assert_eq!(left.len(), 2);
        assert!(matches!(q.try_send(event(9)), Err(SendError::Closed(_))));
        assert!(matches!(q.poll_pop(&mut cx), Poll::Ready(None)));
    }

    #[test]
    fn timed_pop_waits_for_a_push_or_the_timeout() {
        let q = Arc::new(EventQueue::new(4));
        // Empty: the wait lasts its timeout, no less.
        let started = std::time::Instant::now();
        assert!(q.pop_timeout(Duration::from_millis(50)).is_none());
        assert!(started.elapsed() >= Duration::from_millis(50));
        // Ready at once when an event is pending.
        q.try_send(event(1)).unwrap();
        let started = std::time::Instant::now();
        assert!(q.pop_timeout(Duration::from_secs(10)).is_some());
        assert!(started.elapsed() < Duration::from_secs(5));
        // Woken by a push from another thread, long before the timeout.
        let producer = {
            let q = q.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(30));
                q.try_send(event(2)).unwrap();
            })
        };
        let started = std::time::Instant::now();
        let Some(Event::HttpRequest { port, .. }) = q.pop_timeout(Duration::from_secs(30)) else {
            panic!("no event")
        };
        assert_eq!(port, 2);
        assert!(started.elapsed() < Duration::from_secs(10));
        producer.join().unwrap();
        // A timeout the clock cannot add waits without one; a close from
        // another thread ends a blocking wait.
        let closer = {
            let q = q.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(30));
                q.close();
            })
        };
        assert!(q.pop_timeout(Duration::MAX).is_none());
        assert!(q.is_closed());
        assert!(q.pop_blocking().is_none());
        closer.join().unwrap();
    }

    #[test]
    fn a_full_queue_frees_room_for_producers_on_a_timed_pop() {
        let q = EventQueue::new(1);
        let counter = Arc::new(CountWake(AtomicUsize::new(0)));
        let waker = Waker::from(counter.clone());
        let mut cx = Context::from_waker(&waker);
        q.try_send(event(1)).unwrap();
        assert!(q.poll_ready(&mut cx).is_pending());
        assert!(q.pop_timeout(Duration::ZERO).is_some());
        assert_eq!(counter.0.load(Ordering::SeqCst), 1, "producer woken");
    }
}
