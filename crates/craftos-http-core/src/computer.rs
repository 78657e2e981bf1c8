//! Computers: who owns listeners and receives events.

use std::fmt;
use std::sync::Arc;

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
/// ownership) and the sink that queues events to it.
#[derive(Clone)]
pub struct Computer {
    /// The computer's id.
    pub id: ComputerId,
    /// Where the transport queues this computer's events.
    pub sink: Arc<dyn EventSink>,
}

impl Computer {
    /// A computer with the given id and event sink.
    pub fn new(id: ComputerId, sink: Arc<dyn EventSink>) -> Self {
        Computer { id, sink }
    }
}

impl fmt::Debug for Computer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Computer")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
