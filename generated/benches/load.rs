//! How one `Client` behaves when an application leans on it: requests through one client, many
//! in flight, against a local HTTP server on 127.0.0.1, first answering every request, then
//! closing 5% of connections mid-response and answering 2% with a 500. Prints requests per
//! second (the faulty run as a ratio to the clean one, measured in the same run), latency
//! percentiles, peak memory and the most connections the server saw open at once; fails when
//! a request hangs past its timeout or is lost, or a retried POST reached the server with two
//! `Idempotency-Key`s.
//!
//! ```text
//! cargo bench -p stripe-financial-connections --bench load                      # 10,000 requests
//! cargo bench -p stripe-financial-connections --bench load -- --requests 300    # CI's run
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use stripe_financial_connections::{
    AccountholderType, Client, CreateSession, CreateSessionAccountHolder, Error, Permission, RetrieveSession,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SESSION: &str = r#"{"id":"fcsess_load","object":"financial_connections.session","accounts":{"object":"list","data":[],"has_more":false,"url":"/v1/financial_connections/accounts"},"client_secret":"fcsess_client_secret_load","livemode":false,"permissions":["balances"]}"#;
const TIMEOUT: Duration = Duration::from_secs(5);

/// What the server saw.
#[derive(Default)]
struct Seen {
    attempts: AtomicUsize,
    open: AtomicUsize,
    most_open: AtomicUsize,
    /// Each POST's marker (its `return_url`) → the `Idempotency-Key`s its attempts carried.
    keys: Mutex<BTreeMap<String, BTreeSet<String>>>,
}

/// A minimal HTTP/1.1 server (keep-alive, `Content-Length` bodies) that answers a session,
/// or with `faults` closes every 20th attempt mid-response and answers every 50th with a 500.
async fn serve(listener: TcpListener, faults: bool, seen: Arc<Seen>) {
    loop {
        let Ok((socket, _)) = listener.accept().await else { return };
        let seen = seen.clone();
        tokio::spawn(async move {
            let open = seen.open.fetch_add(1, Ordering::SeqCst) + 1;
            seen.most_open.fetch_max(open, Ordering::SeqCst);
            let _ = connection(socket, faults, &seen).await;
            seen.open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

async fn connection(mut socket: TcpStream, faults: bool, seen: &Seen) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    loop {
        // the head, then the body its Content-Length says
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let mut chunk = [0u8; 4096];
            let n = socket.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
        let header =
            |name: &str| head.lines().find_map(|l| l.strip_prefix(&format!("{name}: ")).map(|v| v.trim().to_owned()));
        let length: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        while buffer.len() < head_end + length {
            let mut chunk = [0u8; 4096];
            let n = socket.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..n]);
        }
        let body = String::from_utf8_lossy(&buffer[head_end..head_end + length]).into_owned();
        buffer.drain(..head_end + length);
        if let (Some(key), Some(marker)) =
            (header("idempotency-key"), body.split('&').find(|p| p.starts_with("return_url=")))
        {
            seen.keys.lock().unwrap().entry(marker.to_owned()).or_default().insert(key);
        }
        let n = seen.attempts.fetch_add(1, Ordering::SeqCst);
        if faults && n % 20 == 7 {
            // the status line and half a body, then the connection goes
            socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n{\"id\":")
                .await?;
            return Ok(());
        }
        let (status, text) = if faults && n % 50 == 3 {
            ("500 Internal Server Error", r#"{"error":{"type":"api_error","message":"load test"}}"#)
        } else {
            ("200 OK", SESSION)
        };
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\nrequest-id: req_{n}\r\ncontent-length: {}\r\n\r\n{text}",
            text.len()
        );
        socket.write_all(response.as_bytes()).await?;
    }
}

/// One run's figures.
struct Run {
    wall: Duration,
    latencies: Vec<Duration>,
    succeeded: usize,
    errors: BTreeMap<String, usize>,
    hung: usize,
    seen: Arc<Seen>,
}

async fn run(requests: usize, in_flight: usize, faults: bool) -> Run {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port on 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let seen = Arc::new(Seen::default());
    let server = tokio::spawn(serve(listener, faults, seen.clone()));
    let client = Client::builder("sk_test_load")
        .base_url(base)
        .timeout(TIMEOUT)
        .retry_delays(Duration::from_millis(1), Duration::from_millis(20))
        .build()
        .expect("client");
    // a request may take every attempt's timeout and the delays between them, never more
    let bound = TIMEOUT * 3 + Duration::from_secs(1);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..in_flight)
        .map(|_| {
            let (client, next) = (client.clone(), next.clone());
            tokio::spawn(async move {
                let mut out = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= requests {
                        return out;
                    }
                    let began = Instant::now();
                    let sent = async {
                        if i % 2 == 0 {
                            let holder =
                                CreateSessionAccountHolder::new(AccountholderType::Customer).customer("cus_load");
                            CreateSession::new(holder, [Permission::Balances])
                                .return_url(format!("https://example.com/{i}"))
                                .send(&client)
                                .await
                        } else {
                            RetrieveSession::new("fcsess_load").send(&client).await
                        }
                    };
                    let outcome = tokio::time::timeout(bound, sent).await;
                    out.push((began.elapsed(), outcome));
                }
            })
        })
        .collect();
    let mut run = Run {
        wall: Duration::ZERO,
        latencies: Vec::with_capacity(requests),
        succeeded: 0,
        errors: BTreeMap::new(),
        hung: 0,
        seen,
    };
    for worker in workers {
        for (latency, outcome) in worker.await.expect("a worker") {
            run.latencies.push(latency);
            match outcome {
                Ok(Ok(_)) => run.succeeded += 1,
                Ok(Err(e)) => *run.errors.entry(kind(&e)).or_default() += 1,
                Err(_) => run.hung += 1,
            }
        }
    }
    run.wall = started.elapsed();
    server.abort();
    run.latencies.sort();
    run
}

fn kind(error: &Error) -> String {
    match error {
        Error::Api(api) => format!("Api {}", api.status),
        Error::Transport { .. } => "Transport".to_owned(),
        Error::Decode(_) => "Decode".to_owned(),
        other => format!("{other}"),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default()
}

/// The process's peak resident memory (Linux's VmHWM).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l["VmHWM:".len()..].trim().to_owned()))
        .unwrap_or_else(|| "n/a".to_owned())
}

fn main() {
    let mut requests = 10_000;
    let mut in_flight = 100;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--requests" => requests = args.next().and_then(|n| n.parse().ok()).expect("--requests N"),
            "--in-flight" => in_flight = args.next().and_then(|n| n.parse().ok()).expect("--in-flight N"),
            _ => {} // cargo bench passes `--bench`
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let mut failed = Vec::new();
    let mut clean_rate = None;
    for faults in [false, true] {
        let r = runtime.block_on(run(requests, in_flight, faults));
        let rate = requests as f64 / r.wall.as_secs_f64();
        let ratio = clean_rate.map(|clean| format!(" ({:.2}× the clean run)", rate / clean)).unwrap_or_default();
        clean_rate.get_or_insert(rate);
        let keys = r.seen.keys.lock().unwrap();
        let retried_posts = keys.len().min(requests);
        let two_keys = keys.values().filter(|k| k.len() > 1).count();
        println!(
            "{}: {requests} requests, {in_flight} in flight, one Client",
            if faults { "with faults (5% closed mid-response, 2% answered 500)" } else { "clean" }
        );
        println!(
            "  {rate:.0} requests/s{ratio}; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            percentile(&r.latencies, 0.5).as_secs_f64() * 1e3,
            percentile(&r.latencies, 0.99).as_secs_f64() * 1e3,
            r.latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
        );
        println!(
            "  {} succeeded, typed errors {:?}, {} hung, {} lost; the server saw {} attempts, at most {} connections open",
            r.succeeded,
            r.errors,
            r.hung,
            requests - r.latencies.len(),
            r.seen.attempts.load(Ordering::SeqCst),
            r.seen.most_open.load(Ordering::SeqCst)
        );
        println!("  POSTs seen: {retried_posts}, with more than one Idempotency-Key: {two_keys}");
        if r.hung > 0 || r.latencies.len() != requests || two_keys > 0 {
            failed.push(if faults { "faults" } else { "clean" });
        }
        if !faults && r.succeeded != requests {
            failed.push("clean run had errors");
        }
    }
    println!("peak memory (VmHWM, both runs): {}", peak_memory());
    if !failed.is_empty() {
        eprintln!("error: a request hung, was lost, or a retried POST changed its Idempotency-Key: {failed:?}");
        std::process::exit(1);
    }
}
