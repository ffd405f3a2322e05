// `refundReason` takes the RefundReason enum: neither a raw string nor another enum fits.
use flightapi::fr24::refund_request::Request;
use flightapi::fr24::types::{Gender, OrderNo};

fn main() {
    let order: OrderNo = "17920456973815808".parse().unwrap();
    let _request = Request::builder()
        .tkt_order_no(order)
        .passengers(vec![])
        .refund_reason(Gender::Male)
        .build();
}
