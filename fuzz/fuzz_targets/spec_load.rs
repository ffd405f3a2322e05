//! `cargo fuzz run spec_load`: see `tests/fuzz_support.rs` for what one input goes through.
#![no_main]

#[path = "../../tests/fuzz_support.rs"]
mod fuzz_support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fuzz_support::spec_load(data);
});
