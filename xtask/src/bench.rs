//! `cargo xtask bench`: runs the side-by-side benchmarks
//! (`crates/netverify-bench/benches/side_by_side.rs`) in one criterion
//! process, then reads the medians criterion wrote, counts the instructions
//! of one call of each client under callgrind
//! (`crates/netverify-bench/examples/call_instructions.rs`), and prints one
//! Markdown table with the ratios and the targets of BENCHMARKS.md.
//! `cargo xtask bench --instructions` counts the instructions only. Nothing
//! here fails on a missed target: figures are reported, never asserted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{tools, workspace};

const SIZES: [u32; 3] = [250, 2_500, 25_000];

/// The whole bench, or with `instructions_only` section 10 alone.
pub fn run(instructions_only: bool) -> Result<(), String> {
    let root = workspace::root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    if instructions_only {
        let mut rows = Rows::default();
        instruction_rows(&Instructions::count(&root, &target)?, &mut rows);
        println!("\n{}\n{}", machine(), rows.markdown());
        return Ok(());
    }
    // criterion writes its estimates under CRITERION_HOME; a fresh directory
    // means the table can only show figures from this run.
    let results = target.join("bench-results");
    if results.exists() {
        std::fs::remove_dir_all(&results)
            .map_err(|e| format!("cannot clear {}: {e}", results.display()))?;
    }
    let cargo = workspace::cargo_program();
    let status = Command::new(cargo)
        .args([
            "bench",
            "-p",
            "netverify-bench",
            "--bench",
            "side_by_side",
            "--",
            "--noplot",
        ])
        .env("CRITERION_HOME", &results)
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err(format!("cargo bench failed ({status})"));
    }
    let mut rows = Table::read(&results)?.rows();
    instruction_rows(&Instructions::count(&root, &target)?, &mut rows);
    println!("\n{}\n{}", machine(), rows.markdown());
    Ok(())
}

/// Section 10: instructions of one `supportedIdTypes` call, HTTP included,
/// counted by callgrind, which a busy machine does not move.
struct Instructions {
    /// `[facade, generated, hand-written borrowed]`, per call
    per_call: [f64; 3],
}

/// The clients of `call_instructions`, in the order of [`Instructions`].
const CALLERS: [&str; 3] = ["facade", "generated", "borrowed"];
/// Calls counted; (count at this many − count at none) / this many is the
/// cost of one. Both runs make the example's warm-up calls first.
const COUNTED_CALLS: u32 = 50;

impl Instructions {
    fn count(root: &Path, target: &Path) -> Result<Instructions, String> {
        tools::run(
            Command::new(workspace::cargo_program())
                .current_dir(root)
                .args([
                    "build",
                    "--release",
                    "-p",
                    "netverify-bench",
                    "--example",
                    "call_instructions",
                ]),
        )?;
        let example = target.join("release/examples/call_instructions");
        let mut per_call = [0.0; 3];
        for (slot, caller) in per_call.iter_mut().zip(CALLERS) {
            let at = |calls: u32| callgrind_total(&example, caller, calls);
            let (none, some) = (at(0)?, at(COUNTED_CALLS)?);
            *slot = (some - none) as f64 / f64::from(COUNTED_CALLS);
        }
        Ok(Instructions { per_call })
    }
}

/// The instructions callgrind collected in one run of `example caller calls`.
fn callgrind_total(example: &Path, caller: &str, calls: u32) -> Result<u64, String> {
    tools::step(&format!("callgrind: call_instructions {caller} {calls}"));
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(example)
        .args([caller, &calls.to_string()])
        .output()
        .map_err(|e| format!("cannot run valgrind (is it installed?): {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!(
            "call_instructions {caller} {calls} failed:\n{stderr}"
        ));
    }
    // callgrind ends with `==pid== Collected : 123456`.
    stderr
        .lines()
        .find_map(|line| line.split_once("Collected :"))
        .and_then(|(_, count)| count.trim().parse().ok())
        .ok_or_else(|| format!("no instruction count in callgrind's output:\n{stderr}"))
}

fn instruction_rows(instructions: &Instructions, rows: &mut Rows) {
    let [a, b, c] = instructions.per_call;
    let section = "10. instructions per call (callgrind)";
    rows.push(
        section,
        "(a) facade",
        thousands(a),
        ratio("a/c", a / c),
        at_most(a / c, 1.10),
    );
    rows.push(
        section,
        "(b) generated client",
        thousands(b),
        ratio("b/c", b / c),
        String::new(),
    );
    rows.push(
        section,
        "(c) hand-written, borrowed `&str`",
        thousands(c),
        String::new(),
        String::new(),
    );
}

/// The medians of one run, in nanoseconds per iteration.
struct Table {
    latency: [f64; 3],
    throughput: [f64; 3],
    mock: f64,
    cache: f64,
    /// `[one caller, 64 callers]`, wall time per `get()`
    warm_get: [f64; 2],
    /// `[warm, stale with a refresh in flight]`, 1,000 callers
    burst: [f64; 2],
    /// `[blocking client, async client]`, one call at a time
    blocking: [f64; 2],
    /// `[size][facade, generated, plain]`
    decode: [[f64; 3]; 3],
    /// `[size][country, document]`
    look_up: [[f64; 2]; 3],
}

const CLIENTS: [&str; 3] = ["facade", "generated", "baseline"];
const DECODERS: [&str; 3] = ["facade", "generated", "plain"];

impl Table {
    fn read(results: &Path) -> Result<Table, String> {
        let median = |id: String| median_ns(results, &id);
        let per_client = |group: &str| -> Result<[f64; 3], String> {
            let mut medians = [0.0; 3];
            for (slot, client) in medians.iter_mut().zip(CLIENTS) {
                *slot = median(format!("{group}/{client}"))?;
            }
            Ok(medians)
        };
        let mut decode = [[0.0; 3]; 3];
        let mut look_up = [[0.0; 2]; 3];
        for (i, size) in SIZES.into_iter().enumerate() {
            for (j, decoder) in DECODERS.into_iter().enumerate() {
                decode[i][j] = median(format!("decode/{decoder}/{size}"))?;
            }
            look_up[i][0] = median(format!("lookup/country/{size}"))?;
            look_up[i][1] = median(format!("lookup/document/{size}"))?;
        }
        Ok(Table {
            latency: per_client("latency")?,
            throughput: per_client("throughput")?,
            mock: median("mock/requests".into())?,
            cache: median("cache/cold_1000_callers".into())?,
            warm_get: [
                median("cache/warm_get".into())?,
                median("cache/warm_get_64_callers".into())?,
            ],
            burst: [
                median("cache/warm_1000_callers".into())?,
                median("cache/stale_1000_callers".into())?,
            ],
            blocking: [
                median("blocking/blocking_client".into())?,
                median("blocking/async_client".into())?,
            ],
            decode,
            look_up,
        })
    }

    /// The rows of sections 1 to 9, one method per section of BENCHMARKS.md.
    fn rows(&self) -> Rows {
        let mut rows = Rows::default();
        self.latency_rows(&mut rows);
        self.throughput_rows(&mut rows);
        self.decode_rows(&mut rows);
        self.look_up_rows(&mut rows);
        self.cold_cache_rows(&mut rows);
        self.mock_rows(&mut rows);
        self.warm_get_rows(&mut rows);
        self.burst_rows(&mut rows);
        self.blocking_rows(&mut rows);
        rows
    }

    fn latency_rows(&self, rows: &mut Rows) {
        let [a, b, c] = self.latency;
        let section = "1. latency per call (median)";
        rows.push(
            section,
            "(a) facade",
            duration(a),
            ratio("a/c", a / c),
            at_most(a / c, 1.10),
        );
        rows.push(
            section,
            "(b) generated client",
            duration(b),
            ratio("b/c", b / c),
            at_most(b / c, 1.05),
        );
        rows.push(
            section,
            "(c) hand-written baseline",
            duration(c),
            String::new(),
            String::new(),
        );
    }

    fn throughput_rows(&self, rows: &mut Rows) {
        let [a, b, c] = self.throughput.map(per_second);
        let section = "2. throughput, 64 in flight";
        rows.push(
            section,
            "(a) facade",
            calls(a),
            ratio("a/c", a / c),
            at_least(a / c, 0.95),
        );
        rows.push(
            section,
            "(b) generated client",
            calls(b),
            ratio("b/c", b / c),
            at_least(b / c, 0.95),
        );
        rows.push(
            section,
            "(c) hand-written baseline",
            calls(c),
            String::new(),
            String::new(),
        );
    }

    fn decode_rows(&self, rows: &mut Rows) {
        let section = "3. decode, bytes to catalogue";
        for (size, [facade, generated, plain]) in SIZES.iter().zip(self.decode) {
            let size = thousands(f64::from(*size));
            rows.push(
                section,
                &format!("facade, {size} entries"),
                duration(facade),
                ratio("/plain", facade / plain),
                at_most(facade / plain, 1.5),
            );
            rows.push(
                section,
                &format!("generated models, {size}"),
                duration(generated),
                ratio("/plain", generated / plain),
                String::new(),
            );
            rows.push(
                section,
                &format!("plain structs, {size}"),
                duration(plain),
                String::new(),
                String::new(),
            );
        }
        let growth = |column: usize| self.decode[2][column] / self.decode[1][column];
        rows.push(
            section,
            "growth 2,500 to 25,000, facade",
            String::new(),
            format!("{:.1}x", growth(0)),
            at_most(growth(0), 12.0),
        );
        rows.push(
            section,
            "growth 2,500 to 25,000, plain",
            String::new(),
            format!("{:.1}x", growth(2)),
            String::new(),
        );
    }

    fn look_up_rows(&self, rows: &mut Rows) {
        let section = "4. look-up (median)";
        for (column, what) in ["country by code", "(country, ID type)"]
            .into_iter()
            .enumerate()
        {
            let at = |size: usize| self.look_up[size][column];
            for (i, size) in SIZES.iter().enumerate() {
                let target = if i == 2 {
                    let flat = at(2) / at(0);
                    format!(
                        "{} (25,000 / 250: {flat:.2}x)",
                        verdict(at(2) < 100.0 && flat < 2.0)
                    )
                } else {
                    String::new()
                };
                rows.push(
                    section,
                    &format!("{what}, {} entries", thousands(f64::from(*size))),
                    duration(at(i)),
                    String::new(),
                    target,
                );
            }
        }
    }

    fn cold_cache_rows(&self, rows: &mut Rows) {
        rows.push(
            "5. cache, cold, 1,000 callers",
            "time until all have the catalogue",
            duration(self.cache),
            "1 HTTP request (asserted)".into(),
            String::new(),
        );
    }

    fn mock_rows(&self, rows: &mut Rows) {
        let mock = per_second(self.mock);
        let baseline = per_second(self.throughput[2]);
        rows.push(
            "6. mock server",
            "requests/s, full catalogue, 64 in flight",
            calls(mock),
            format!("{:.1}x the baseline's calls/s", mock / baseline),
            String::new(),
        );
    }

    fn warm_get_rows(&self, rows: &mut Rows) {
        let [one, many] = self.warm_get;
        let section = "7. cache, warm get()";
        rows.push(
            section,
            "one caller, per get()",
            duration(one),
            String::new(),
            format!("{} (< 100 ns)", verdict(one < 100.0)),
        );
        rows.push(
            section,
            "64 concurrent callers, wall time per get()",
            duration(many),
            ratio("/one caller", many / one),
            at_most(many / one, 1.5),
        );
    }

    fn burst_rows(&self, rows: &mut Rows) {
        let [warm, stale] = self.burst;
        let section = "8. cache, 1,000 callers";
        rows.push(
            section,
            "warm: time until all have the catalogue",
            duration(warm),
            String::new(),
            String::new(),
        );
        rows.push(
            section,
            "stale, refresh in flight (asserted): same",
            duration(stale),
            ratio("/warm", stale / warm),
            at_most(stale / warm, 1.5),
        );
    }

    fn blocking_rows(&self, rows: &mut Rows) {
        let [blocking, asynchronous] = self.blocking;
        let section = "9. blocking client, same mock";
        rows.push(
            section,
            "blocking client, one call at a time",
            duration(blocking),
            ratio("/async", blocking / asynchronous),
            String::new(),
        );
        rows.push(
            section,
            "async client, one call at a time",
            duration(asynchronous),
            String::new(),
            String::new(),
        );
    }
}

/// The rows of the table: section, measurement, value, ratio, target.
#[derive(Default)]
struct Rows(Vec<[String; 5]>);

impl Rows {
    fn push(&mut self, section: &str, what: &str, value: String, ratio: String, target: String) {
        self.0
            .push([section.into(), what.into(), value, ratio, target]);
    }

    fn markdown(&self) -> String {
        let header = ["section", "measurement", "value", "ratio", "target"];
        let mut table = String::new();
        let _ = writeln!(table, "| {} |", header.join(" | "));
        let _ = writeln!(table, "|{}", " --- |".repeat(header.len()));
        for cells in &self.0 {
            let _ = writeln!(table, "| {} |", cells.join(" | "));
        }
        table
    }
}

/// criterion's median for one benchmark id, in nanoseconds.
fn median_ns(results: &Path, id: &str) -> Result<f64, String> {
    let path = results.join(id).join("new/estimates.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let estimates: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    estimates["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("{}: no median", path.display()))
}

/// The CPU, core count and memory, from /proc.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown CPU", |(_, model)| model.trim());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_gib = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    format!("machine: {model}, {cores} cores, {memory_gib:.1} GiB")
}

fn per_second(ns: f64) -> f64 {
    1e9 / ns
}

fn duration(ns: f64) -> String {
    match ns {
        ns if ns < 1e3 => format!("{ns:.1} ns"),
        ns if ns < 1e6 => format!("{:.1} µs", ns / 1e3),
        ns => format!("{:.2} ms", ns / 1e6),
    }
}

fn calls(per_second: f64) -> String {
    format!("{}/s", thousands(per_second))
}

fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value);
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn ratio(label: &str, value: f64) -> String {
    format!("{label} {value:.2}x")
}

fn at_most(value: f64, limit: f64) -> String {
    format!("{} (≤ {limit:.2}x)", verdict(value <= limit))
}

fn at_least(value: f64, limit: f64) -> String {
    format!("{} (≥ {limit:.2}x)", verdict(value >= limit))
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}
