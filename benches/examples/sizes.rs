//! Prints the largest generated files of a synthetic spec (where formatting time goes).
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let tmp = std::env::temp_dir().join("flightapi-sizes");
    let spec = flightapi_benches::synthetic::write_spec(&tmp, n).unwrap();
    let t = std::time::Instant::now();
    let files = flightapi_codegen::Generator::new(&spec, tmp.join("out")).render().unwrap();
    println!("{} files in {:?}", files.len(), t.elapsed());
    let mut sizes: Vec<(usize, String)> = files.iter().map(|(p, s)| (s.len(), p.display().to_string())).collect();
    sizes.sort();
    let total: usize = sizes.iter().map(|s| s.0).sum();
    println!("total {total} bytes");
    for (len, path) in sizes.iter().rev().take(5) {
        println!("{len:>10} {path}");
    }
}
