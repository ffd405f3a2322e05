//! Client overhead: one `fr24::Client` call (validate, sign, envelope, send, check, decode)
//! against raw reqwest posting the same pre-signed bytes to the same in-process mock, both
//! with keep-alive; plus signing and gzip apart.
//!
//! `cargo bench -p flightapi-benches --bench client`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use flightapi::fr24::{self, select_balance};
use flightapi::rt::client::Config;
use flightapi::rt::mock::MockServer;
use flightapi::rt::{auth, CredentialSet};

fn client_overhead(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let mock = rt.block_on(MockServer::spawn(&fr24::VENDOR)).unwrap();
    let credentials = CredentialSet::from(fr24::Credentials::samples());
    let client = fr24::Client::new(Config::new(credentials.clone()).base_url(mock.url())).unwrap();
    let request = select_balance::Request::builder().build();
    rt.block_on(client.select_balance(&request)).expect("the mock answers");

    // The same wire body, signed once (the mock allows five minutes of clock skew).
    let mut wire = serde_json::Map::new();
    auth::sign_body(&fr24::VENDOR, &credentials, &mut wire, auth::now_ms()).unwrap();
    let bytes = serde_json::to_vec(&wire).unwrap();
    let url = format!("{}/api/new/selectBalance.do", mock.url());
    let raw = |gzip: bool| {
        let b = reqwest::Client::builder();
        let b = if gzip { b } else { b.no_gzip() };
        b.build().unwrap()
    };
    let (raw_gzip, raw_plain) = (raw(true), raw(false));
    let post = |http: &reqwest::Client| {
        let req =
            http.post(&url).header("appKey", "test").header("Content-Type", "application/json").body(bytes.clone());
        async move {
            let reply = req.send().await.unwrap().bytes().await.unwrap();
            assert!(reply.len() > 10);
        }
    };
    rt.block_on(post(&raw_gzip));

    let mut g = c.benchmark_group("fr24_select_balance");
    g.bench_function("raw reqwest, pre-signed, gzip", |b| b.iter(|| rt.block_on(post(&raw_gzip))));
    g.bench_function("raw reqwest, pre-signed, no gzip", |b| b.iter(|| rt.block_on(post(&raw_plain))));
    g.bench_function("fr24::Client", |b| b.iter(|| rt.block_on(client.select_balance(black_box(&request))).unwrap()));
    g.finish();

    let mut g = c.benchmark_group("client_parts");
    g.bench_function("sign (SHA-512)", |b| {
        b.iter(|| {
            let mut wire = serde_json::Map::new();
            auth::sign_body(&fr24::VENDOR, black_box(&credentials), &mut wire, 1_671_178_033_000).unwrap();
            wire
        })
    });
    g.finish();
    drop(mock);
}

criterion_group!(benches, client_overhead);
criterion_main!(benches);
