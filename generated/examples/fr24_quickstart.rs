//! FR24 end to end against the embedded mock server: shopping → pricing → booking →
//! ticketing → orderDetail, printing each step.
//!
//! `cargo run -p flightapi --example fr24_quickstart`
//!
//! Against the real test host, drop the mock and build the client with
//! `fr24::Client::from_env()` (FR24_APP_KEY, FR24_APP_SECRET, FR24_AES_KEY, FR24_BASE_URL).

use flightapi::fr24::{self, booking, order_detail, pricing, shopping, ticketing, types};
use flightapi::rt::client::Config;
use flightapi::rt::mock::MockServer;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::spawn(&fr24::VENDOR).await?;
    println!("mock FR24 listening on {}", mock.url());
    // The docs' sample appKey/appSecret, and a 16-byte AES key for booking passengers.
    let credentials =
        fr24::Credentials::builder().app_key("test").app_secret("123456").aes_key("0123456789abcdef").build();
    let client = fr24::Client::new(Config::new(credentials).base_url(mock.url()))?;

    // 1. Shopping: one adult, Singapore to Hong Kong.
    let leg = types::SearchLeg::builder()
        .origin(types::IataCode::try_from("SIN")?)
        .destination(types::IataCode::try_from("HKG")?)
        .dep_date("2025-11-15".parse()?)
        .build();
    let found = client.shopping(&shopping::Request::builder().search_legs(vec![leg]).adult_num(1).build()).await?;
    let offer = found.offers.unwrap_or_default().into_iter().next().ok_or("no offer")?;
    // An offer's price is its per-passenger fares and taxes (decimals, never floats).
    let total = |o: &types::Offer| -> rust_decimal::Decimal {
        o.price_per_pax
            .iter()
            .flatten()
            .map(|p| p.base_fare.unwrap_or_default() + p.total_tax.unwrap_or_default())
            .sum()
    };
    println!("1. shopping: offer {} at {} {:?}", offer.offer_id, total(&offer), offer.currency);

    // 2. Pricing: verify the offer before booking (the page's data.offer is a list).
    let priced =
        client.pricing(&pricing::Request::builder().offer_id(offer.offer_id.clone()).adult_num(1).build()).await?;
    let price = priced.offer.unwrap_or_default().first().map(total).ok_or("no price")?;
    println!("2. pricing: confirmed at {price}");

    // 3. Booking: typed passengers, encrypted by the client with the AES key.
    let passenger = types::Passenger::builder()
        .pax_id("1")
        .name(types::PaxName::try_from("YGVU/ZTMII")?)
        .pax_type(types::PaxType::Adult)
        .birthday("1981-07-21".parse()?)
        .gender(types::Gender::Male)
        .build();
    let booked = client
        .booking(&booking::Request::builder().offer_id(offer.offer_id).passengers(vec![passenger]).build())
        .await?;
    println!(
        "3. booking: order {} status {:?}, pay {:?} {:?}",
        booked.order_no, booked.order_status, booked.total_price, booked.currency
    );

    // 4. Ticketing: pay from the B2B wallet (never retried by the client).
    let ticketing = ticketing::Request::builder()
        .order_no(types::OrderNo::try_from(booked.order_no.as_str())?)
        .currency(ticketing::Currency::try_from("USD")?)
        .total_price(booked.total_price.unwrap_or(price))
        .payment_method(ticketing::PaymentMethod::try_from("0")?)
        .build();
    let paid = client.ticketing(&ticketing).await?;
    println!("4. ticketing: status {:?}", paid.order_status);

    // 5. orderDetail: the tickets.
    let detail = client
        .order_detail(
            &order_detail::Request::builder().order_no(types::OrderNo::try_from(booked.order_no.as_str())?).build(),
        )
        .await?;
    for t in detail.ticket_info.unwrap_or_default() {
        println!("5. orderDetail: passenger {:?} tickets {:?} (PNR {:?})", t.pax_id, t.ticket_no, t.airline_pnr);
    }
    println!(
        "calls seen by the mock: {}",
        ["shopping", "pricing", "booking", "ticketing", "orderDetail"]
            .map(|op| format!("{op}={}", mock.hits(op)))
            .join(", ")
    );
    Ok(())
}
