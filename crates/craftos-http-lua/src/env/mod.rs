//! The ComputerCraft globals a standalone computer needs around `http`
//! (SEMANTICS section 8), one module per API so an embedder can take none,
//! some or all of them. The `http` binding does not depend on them.

pub mod textutils;
