//! A warm `CachedCatalogue::get` (within its TTL) N times, without a store
//! (`get`) or with one (`get-with-store`, a `FileStore`), or N times the
//! floor it is measured against: a bare `ArcSwap` load plus `Arc` clone of
//! the same catalogue. For instruction counts under callgrind:
//!
//! ```sh
//! cargo build --release -p netverify-bench --example cache_get_instructions
//! for what in get get-with-store floor; do for n in 0 100000; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/cache_get_instructions $what $n 2>&1 | grep Collected
//! done; done
//! ```
//!
//! (instructions at 100,000 − instructions at 0) / 100,000 is the cost of one.

use std::hint::black_box;

use arc_swap::ArcSwap;

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args
        .next()
        .expect("usage: cache_get_instructions get|get-with-store|floor N");
    let times: usize = args.next().and_then(|n| n.parse().ok()).expect("a count");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let sandbox = netverify_mock::MockServer::builder()
            .start()
            .await
            .expect("the mock starts");
        let client = netverify::Client::builder()
            .base_url(sandbox.base_url())
            .credentials(
                netverify_mock::DEFAULT_TOKEN,
                netverify_mock::DEFAULT_SECRET,
            )
            .user_agent("netverify-bench/0")
            .build()
            .expect("a client");
        let mut cache = netverify::CachedCatalogue::supported_builder(client)
            .ttl(std::time::Duration::from_secs(3600));
        let file = std::env::temp_dir().join(format!("cache-get-{}.json", std::process::id()));
        if what == "get-with-store" {
            cache = cache.store(netverify::FileStore::new(&file));
        }
        let cache = cache.build();
        let catalogue = cache.get().await.expect("the first get fetches");
        let floor = ArcSwap::new(catalogue);
        match what.as_str() {
            "get" | "get-with-store" => {
                for _ in 0..times {
                    black_box(cache.get().await.expect("warm"));
                }
            }
            "floor" => {
                for _ in 0..times {
                    black_box(black_box(&floor).load_full());
                }
            }
            other => panic!("unknown measurement {other}"),
        }
        let _ = std::fs::remove_file(&file);
    });
}
