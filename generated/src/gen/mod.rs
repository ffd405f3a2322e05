pub fn vendors() -> ::std::vec::Vec<&'static ::flightapi::rt::Vendor> {
    ::std::vec::Vec::new()
}
