//! Computers: who owns listeners and receives events.

use std::fmt;
use std::sync::Arc;

use crate::limits::Limits;
use crate::queue::EventSink;

/// A computer's id within one host (`os.getComputerID()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComputerId(pub u32);

impl fmt::Display for ComputerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "computer {}", self.0)
    }
}

/// What a transport needs to know about a computer: its id (for port
/// ownership), the sink that queues events to it, and the limits its
/// servers apply.
#[derive(Clone)]
pub struct Computer {
    /// The computer's id.
    pub id: ComputerId,
    /// Where the transport queues this computer's events.
    pub sink: Arc<dyn EventSink>,
    /// Body, deadline, message and connection limits of its servers (the
    /// queue bound is the sink's own).
    pub limits: Arc<Limits>,
}

impl Computer {
    /// A computer with the given id and event sink, and default limits.
    pub fn new(id: ComputerId, sink: Arc<dyn EventSink>) -> Self {
        Computer {
            id,
            sink,
            limits: Arc::default(),
        }
    }

    /// The same computer with other limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = Arc::new(limits);
        self
    }
}

impl fmt::Debug for Computer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Computer")
            .field("id", &self.id)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}
