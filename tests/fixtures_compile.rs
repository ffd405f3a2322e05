//! The blessed fixture output compiles (under `deny(warnings)`) and behaves as documented.

#[deny(warnings)]
#[path = "fixtures/basic/expected.rs"]
pub mod basic;

#[deny(warnings)]
#[path = "fixtures/hostile/expected.rs"]
pub mod hostile;
