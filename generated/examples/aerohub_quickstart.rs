//! AeroHub end to end against the embedded mock server: GetAvailability → AirPricing →
//! SetPassengers → GetBookingPayments → SetPaymentToBooking → Commit → GetBookingDetail.
//!
//! `cargo run -p flightapi --example aerohub_quickstart`
//!
//! Against AeroHub, drop the mock and build the client with `aerohub::Client::from_env()`
//! (AEROHUB_KEY, AEROHUB_SECRET, AEROHUB_BASE_URL: AeroHub hands out the host with the key).

use flightapi::aerohub::{self, air_pricing, get_availability, get_booking_detail, get_booking_payments};
use flightapi::aerohub::{commit, set_passengers, set_payment_to_booking as pay, types};
use flightapi::rt::client::Config;
use flightapi::rt::mock::MockServer;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::spawn(&aerohub::VENDOR).await?;
    println!("mock AeroHub listening on {}", mock.url());
    // The Guideline page's sample key and secret; every call is signed with AES-256-CBC.
    // The docs' sample key and secret, which the mock accepts.
    let credentials = aerohub::Credentials::samples();
    let client = aerohub::Client::new(Config::new(credentials).base_url(mock.url()))?;

    // 1. GetAvailability: one adult, Bangkok Don Mueang to Kuala Lumpur.
    let search = get_availability::Request::builder()
        .trip_type(get_availability::TripType::OneWay)
        .from_city(types::Iata::try_from("DMK")?)
        .to_city(types::Iata::try_from("KUL")?)
        .from_date("20260929".parse()?)
        .adult_number(1.into())
        .build();
    let found = client.get_availability(&search).await?;
    let routing = found.routings.unwrap_or_default().into_iter().next().ok_or("no routing")?;
    println!(
        "1. availability: routing {:?}, adult fare {:?} {:?}",
        routing.routing_key, routing.adult_fare, routing.currency
    );

    // 2. AirPricing: the routing goes back as received; the answer opens a session.
    let routing_key = routing.routing_key.clone().ok_or("no routing key")?;
    let pricing = air_pricing::Request::builder()
        .adult_number(1)
        .fare_key(air_pricing::FareKey::try_from("861276-202167-ECONOMY-S-SHAPPY-33")?)
        .routing_key(air_pricing::RoutingKey::try_from(routing_key.as_str())?)
        .routing(serde_json::to_value(&routing)?)
        .build();
    let priced = client.air_pricing(&pricing).await?;
    let session = types::SessionId::try_from(priced.session_id.ok_or("no session")?.as_str())?;
    println!("2. pricing: session {}", session.as_str());

    // 3. SetPassengers: once per session, never retried.
    let contact = set_passengers::Contact::builder()
        .first_name("MEI")
        .last_name("TAN")
        .mobile(set_passengers::Mobile::try_from("65-91234567")?)
        .email(set_passengers::Email::try_from("mei.tan@example.com")?)
        .build();
    let passenger = set_passengers::Passenger::builder()
        .passenger_id(set_passengers::PassengerId::try_from("0")?)
        .first_name("MEI")
        .last_name("TAN")
        .age_type(set_passengers::AgeType::Adult)
        .birthday("19900101".parse()?)
        .build();
    let people = set_passengers::Request::builder()
        .session_id(session.clone())
        .contact(contact)
        .passengers(vec![passenger])
        .build();
    let set = client.set_passengers(&people).await?;
    println!("3. passengers: total {:?} {:?}", set.total_cost, set.currency);

    // 4. GetBookingPayments, then 5. SetPaymentToBooking with the AeroHub account.
    let methods = client
        .get_booking_payments(&get_booking_payments::Request::builder().session_id(session.clone()).build())
        .await?;
    println!(
        "4. payment methods: {:?}",
        methods.payments.unwrap_or_default().iter().map(|p| &p.code).collect::<Vec<_>>()
    );
    let payment = pay::Request::builder().payment_code(types::PaymentCode::Aag).session_id(session.clone()).build();
    let due = client.set_payment_to_booking(&payment).await?;
    println!("5. payment set: balance due {:?} {:?}", due.balance_due, due.currency);

    // 6. Commit (never retried), 7. GetBookingDetail.
    let order = client.commit(&commit::Request::builder().session_id(session).build()).await?;
    let order_num = order.order_num.ok_or("no order number")?;
    println!("6. commit: order {order_num} {:?}, PNR {:?}", order.order_status, order.pnr);
    let detail = client
        .get_booking_detail(
            &get_booking_detail::Request::builder().order_num(types::OrderNum::try_from(order_num.as_str())?).build(),
        )
        .await?;
    println!("7. detail: {:?}", detail.order_status);
    Ok(())
}
