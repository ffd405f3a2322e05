// A refund request without its required `tktOrderNo` does not build.
use flightapi::fr24::refund_request::{RefundReason, Request};

fn main() {
    let _request = Request::builder()
        .passengers(vec![])
        .refund_reason(RefundReason::Reason1)
        .build();
}
