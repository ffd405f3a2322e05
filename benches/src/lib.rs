//! Inputs for the benchmarks: synthetic specs of any size, and large payloads.

pub mod patterns;
pub mod payloads;
pub mod synthetic;
