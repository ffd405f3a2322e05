//! What must not compile, with the compiler's message pinned in `compile-fail/*.stderr`
//! (`TRYBUILD=overwrite` to accept new messages).

#[test]
fn compile_fail() {
    let t = trybuild::TestCases::new();
    t.compile_fail("compile-fail/*.rs");
}
