// `refundReason` takes the RefundReason enum: neither a raw string nor another enum fits.
use flightapi::fr24::refund_request::Request;
use flightapi::fr24::types::{Gender, TicketOrderNo};

fn main() {
    let order: TicketOrderNo = "17920456973815808".parse().unwrap();
    let _request = Request::builder()
        .tkt_order_no(order)
        .passengers(vec![])
        .refund_reason(Gender::Male)
        .build();
}
