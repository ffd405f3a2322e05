// Setting the same field twice is a compile error, not a silent overwrite.
use flightapi::fr24::refund_request::{RefundReason, Request};

fn main() {
    let _request = Request::builder()
        .refund_reason(RefundReason::Reason1)
        .refund_reason(RefundReason::Reason2);
}
