//! Pages that scale with the data (issue 11): p50 and p99 of `/sent`, `/inbox` and a sent
//! letter's page at 50 concurrent clients, against a database holding 100,000 evidences (plus
//! one sender with 1,000 transactions), each as a ratio to a static file served by the same
//! server in the same run (the target: p99 ≤ 2× the static file's), and as a ratio to
//! the same page over a database a tenth as large (`PLI_BENCH_SMALL_SENDERS`, default 50
//! senders: 10,000 evidences), measured first in the same run — a page whose cost does not grow
//! with the data stays near 1. Each page also prints the process's CPU time per request (the
//! server and the bench's clients together).
//!
//! The static-file baseline (38 ms at 50 clients) was a 40 ms stall: without
//! `TCP_NODELAY` a file written as headers then body waited for the client's delayed
//! acknowledgement. With it (`server::start`), a static file answers in about 3 ms at 50
//! clients and a page costs 10–25 times its CPU: see docs/performance.md.
//!
//! The real server (`server::start`, as in the tests) listens on a free port; the database is
//! seeded with SQL inserts (accounts, open sessions, sent letters, transactions, evidence rows
//! with their journal entries) rather than by sealing 100,000 PDFs. Each client holds its own
//! session cookie, as a browser would; the service clock follows real time, so that sessions
//! see activity as they would in production.
//!
//! On SQLite, and on PostgreSQL when `PLI_TEST_POSTGRES_URL` is set (`bench/pages.sh` starts a
//! throwaway cluster). Settings: `PLI_BENCH_DATABASES` (`sqlite,postgres`),
//! `PLI_BENCH_SENDERS` (1000 senders, each with 10 letters to 2 recipients, 5 evidences per
//! recipient), `PLI_BENCH_REQUESTS` (requests per client and page, default 20),
//! `PLI_BENCH_SECONDS` (a page's time limit, default 60 s), `PLI_BENCH_TIMEOUT` (seconds a
//! request may take, default 30: a client whose request takes longer stops, and the page's
//! percentiles count it as taking the timeout).

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "pages/seed.rs"]
mod seed;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use common::Backend;
use server::db::Backend as DbBackend;

/// Concurrent clients.
const CLIENTS: usize = 50;
/// Letters per regular sender, recipients per letter, evidences per transaction.
const LETTERS: usize = 10;
const RECIPIENTS: usize = 2;
const EVIDENCE_KINDS: [&str; 5] = [
    "Deposit",
    "Transmission",
    "LetterSummary",
    "Reminder",
    "Acceptance",
];
/// The big sender's letters (two recipients each: 1,000 transactions).
const BIG_LETTERS: usize = 500;
const STATUSES: [&str; 4] = ["awaiting", "accepted", "refused", "expired"];

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to filter here.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let databases =
        std::env::var("PLI_BENCH_DATABASES").unwrap_or_else(|_| "sqlite,postgres".to_owned());
    for database in databases.split(',').map(str::trim) {
        let backend = match database {
            "sqlite" => Backend::Sqlite,
            "postgres" if std::env::var_os("PLI_TEST_POSTGRES_URL").is_some() => Backend::Postgres,
            "postgres" => {
                println!(
                    "pages/postgres: skipped (PLI_TEST_POSTGRES_URL is not set; bench/pages.sh sets it)"
                );
                continue;
            }
            other => panic!("PLI_BENCH_DATABASES: unknown database {other}"),
        };
        runtime.block_on(run(backend));
    }
}

/// Who the clients are: a session cookie per account, and the pages to ask for.
struct Seeded {
    /// `pli_session=<token>` of regular senders (who also receive letters).
    cookies: Vec<String>,
    /// The first sent letter of each regular sender.
    letters: Vec<String>,
    /// The big sender's cookie.
    big_cookie: String,
    evidences: usize,
    transactions: usize,
}

async fn run(backend: Backend) {
    let name = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let small = setting("PLI_BENCH_SMALL_SENDERS", 50).max(CLIENTS);
    let senders = setting("PLI_BENCH_SENDERS", 1000).max(CLIENTS);
    let smaller = measure(backend, name, small).await;
    let full = measure(backend, name, senders).await;
    println!(
        "pages/{name}: {} clients; static file (both runs) p50 {:.1} ms, p99 {:.1} ms",
        CLIENTS,
        ms(full.statics.p50),
        ms(full.statics.p99)
    );
    for (result, before) in full.pages.iter().zip(&smaller.pages) {
        println!(
            "pages/{name}: {:<28} p99 ratio to the static file: {:>7.2}{}  (p50 ratio {:.2}); \
             to the same page with {small} senders: {:.2}",
            result.label,
            result.p99.as_secs_f64() / full.statics.p99.as_secs_f64(),
            if result.timed_out > 0 {
                " at least"
            } else {
                ""
            },
            result.p50.as_secs_f64() / full.statics.p50.as_secs_f64(),
            result.p99.as_secs_f64() / before.p99.as_secs_f64(),
        );
    }
}

/// One pass over the pages: the static file (before and after, merged) and each page.
struct Measured {
    statics: Stats,
    pages: Vec<Stats>,
}

/// Starts a server, seeds `senders` senders (and the big one) and measures every page.
async fn measure(backend: Backend, name: &'static str, senders: usize) -> Measured {
    let site = tempfile::tempdir().expect("site dir");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../public/favicon.svg"),
        site.path().join("favicon.svg"),
    )
    .expect("static file");
    let site_root = site.path().to_owned();
    let app = common::spawn_app_with(backend, move |config| {
        config.server.site_root = site_root;
    })
    .await;
    let started = Instant::now();
    let seeded = seed::seed(&app, senders).await;
    // The statistics a running service would have by now: SQLite's hourly `PRAGMA optimize`
    // (the pool's connections opened on empty tables), PostgreSQL's autovacuum.
    app.state.db.analyze().await.expect("statistics");
    if app.state.db.backend() == DbBackend::Sqlite {
        let (tables,): (i64,) = sqlx::query_as("SELECT COUNT(DISTINCT tbl) FROM sqlite_stat1")
            .fetch_one(app.state.db.pool())
            .await
            .expect("sqlite_stat1");
        println!("pages/{name}: PRAGMA optimize analysed {tables} tables");
    }
    println!(
        "pages/{name}: seeded {} evidences, {} transactions, {senders} senders + one with {} \
         transactions in {:.1} s",
        seeded.evidences,
        seeded.transactions,
        BIG_LETTERS * RECIPIENTS,
        started.elapsed().as_secs_f64()
    );
    // The service clock follows real time from here (sessions age as they would).
    let clock = app.state.clock.clone();
    let ticking = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tick.tick().await;
            clock.advance(TimeDelta::milliseconds(100));
        }
    });

    let timeout = Duration::from_secs(setting("PLI_BENCH_TIMEOUT", 30) as u64);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let per_client = setting("PLI_BENCH_REQUESTS", 20);
    let limit = Duration::from_secs(setting("PLI_BENCH_SECONDS", 60) as u64);
    let bench = Bench {
        client,
        base: app.url.clone(),
        per_client,
        limit,
        timeout,
        name,
    };
    let statics = bench
        .page("static file", |_| ("/favicon.svg".to_owned(), None), "<svg")
        .await;
    let cookies = Arc::new(seeded.cookies);
    let letters = Arc::new(seeded.letters);
    let mut results = Vec::new();
    {
        let cookies = cookies.clone();
        results.push(
            bench
                .page(
                    "/sent",
                    move |i| ("/sent".to_owned(), Some(cookies[i].clone())),
                    "Subject 0 of",
                )
                .await,
        );
    }
    {
        let big = seeded.big_cookie.clone();
        results.push(
            bench
                .page(
                    "/sent (1,000 transactions)",
                    move |_| ("/sent".to_owned(), Some(big.clone())),
                    "Big subject",
                )
                .await,
        );
    }
    {
        let cookies = cookies.clone();
        results.push(
            bench
                .page(
                    "/inbox",
                    move |i| ("/inbox".to_owned(), Some(cookies[i].clone())),
                    "inbox-item",
                )
                .await,
        );
    }
    {
        let cookies = cookies.clone();
        let letters = letters.clone();
        results.push(
            bench
                .page(
                    "/sent/:id",
                    move |i| (format!("/sent/{}", letters[i]), Some(cookies[i].clone())),
                    "transaction-card",
                )
                .await,
        );
    }
    let statics_again = bench
        .page("static file", |_| ("/favicon.svg".to_owned(), None), "<svg")
        .await;
    ticking.abort();

    app.stop().await;
    Measured {
        statics: Stats::merge(&statics, &statics_again),
        pages: results,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Bench {
    client: reqwest::Client,
    base: String,
    per_client: usize,
    limit: Duration,
    timeout: Duration,
    name: &'static str,
}

struct Stats {
    label: String,
    samples: Vec<Duration>,
    p50: Duration,
    p99: Duration,
    count: usize,
    timed_out: usize,
}

impl Stats {
    fn of(label: &str, mut samples: Vec<Duration>) -> Stats {
        samples.sort();
        let at = |q: f64| {
            let index = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
            samples[index]
        };
        Stats {
            label: label.to_owned(),
            p50: at(0.5),
            p99: at(0.99),
            count: samples.len(),
            timed_out: 0,
            samples,
        }
    }

    fn merge(a: &Stats, b: &Stats) -> Stats {
        Stats::of(&a.label, [a.samples.clone(), b.samples.clone()].concat())
    }
}

impl Bench {
    /// `CLIENTS` concurrent clients ask for `target(client)` (path, cookie) `per_client` times
    /// each (or until the time limit), after one warm-up request each whose body must contain
    /// `expect`.
    async fn page(
        &self,
        label: &str,
        target: impl Fn(usize) -> (String, Option<String>) + Send + Sync + Clone + 'static,
        expect: &'static str,
    ) -> Stats {
        let started = Instant::now();
        let cpu = cpu_seconds();
        let mut tasks = Vec::new();
        for i in 0..CLIENTS {
            let (client, base, target) = (self.client.clone(), self.base.clone(), target.clone());
            let (per_client, limit) = (self.per_client, self.limit);
            let label = label.to_owned();
            tasks.push(tokio::spawn(async move {
                let (path, cookie) = target(i);
                let get = || {
                    let mut request = client.get(format!("{base}{path}"));
                    if let Some(cookie) = &cookie {
                        request = request.header("cookie", cookie);
                    }
                    request.send()
                };
                let mut samples = Vec::with_capacity(per_client);
                let mut timed_out = 0;
                for n in 0..=per_client {
                    if started.elapsed() > limit && samples.len() + timed_out > 0 {
                        break;
                    }
                    let at = Instant::now();
                    let body = match get().await {
                        Ok(response) => {
                            assert!(
                                response.status().is_success(),
                                "{label}: {}",
                                response.status()
                            );
                            response.text().await
                        }
                        Err(error) => Err(error),
                    };
                    let body = match body {
                        Ok(body) => body,
                        Err(error) if error.is_timeout() => {
                            timed_out += 1;
                            break;
                        }
                        Err(error) => panic!("{label}: {error}"),
                    };
                    // The first request warms up and checks that the page is the real one.
                    if n == 0 {
                        assert!(
                            body.contains(expect),
                            "{label} ({path}): {expect:?} not in the page:\n{}",
                            &body[..body.len().min(2000)]
                        );
                    } else {
                        samples.push(at.elapsed());
                    }
                }
                (samples, timed_out)
            }));
        }
        let (mut samples, mut timed_out) = (Vec::new(), 0);
        for task in tasks {
            let (some, late) = task.await.expect("client");
            samples.extend(some);
            timed_out += late;
        }
        // Warm-up requests included: every request the clients made.
        let cpu_per_request = (cpu_seconds() - cpu) * 1000.0 / (samples.len() + CLIENTS) as f64;
        samples.extend(std::iter::repeat_n(self.timeout, timed_out));
        let mut stats = Stats::of(label, samples);
        stats.timed_out = timed_out;
        println!(
            "pages/{}: {:<28} p50 {:>8.1} ms  p99 {:>8.1} ms  CPU {:.2} ms/request  ({} requests{})",
            self.name,
            label,
            ms(stats.p50),
            ms(stats.p99),
            cpu_per_request,
            stats.count,
            if timed_out > 0 {
                format!(", {timed_out} timed out after {} s", self.timeout.as_secs())
            } else {
                String::new()
            }
        );
        stats
    }
}

/// CPU seconds this process has used (user and system), from `/proc/self/stat`.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime (fields 14 and 15 of proc(5)), in clock ticks of 1/100 s.
    (ticks(11) + ticks(12)) / 100.0
}
