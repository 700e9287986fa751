//! The API load: 8 clients on keep-alive loopback connections to the real HTTP server, each
//! recording payments with `"allocate": "proposal"` (recorded and allocated in one transaction)
//! one after the other; throughput and the latency of each request (p50, p99, max).

use std::time::Instant;

use serde_json::json;

use super::steps::Outcome;
use creance_app::App;

pub const CLIENTS: usize = 8;
const PER_CLIENT: usize = 500;

pub async fn load(app: &App, company_id: i64, customers: usize) -> anyhow::Result<((), Outcome)> {
    let actor = creance_app::Actor::new("bench", creance_app::clock::now());
    let token =
        app.create_token(&actor, company_id, creance_core::Role::Clerk, "bench").await.map_err(anyhow::Error::from)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(creance_server::serve(app.clone(), listener));
    let start = Instant::now();
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let token = token.clone();
        clients.push(tokio::spawn(async move { client(addr, &token, c, customers).await }));
    }
    let mut micros = Vec::with_capacity(CLIENTS * PER_CLIENT);
    for c in clients {
        micros.extend(c.await??);
    }
    let seconds = start.elapsed().as_secs_f64();
    server.abort();
    micros.sort_unstable();
    let at = |p: usize| micros.get((micros.len() * p / 100).min(micros.len().saturating_sub(1))).copied().unwrap_or(0);
    let ms = |us: u64| (us as f64 / 100.0).round() / 10.0;
    let outcome = Outcome::new(
        micros.len() as i64,
        format!("POST /api/v1/payments with \"allocate\": \"proposal\" on {CLIENTS} keep-alive connections (rows: requests)"),
    )
    .with("p50_ms", json!(ms(at(50))))
    .with("p99_ms", json!(ms(at(99))))
    .with("max_ms", json!(ms(micros.last().copied().unwrap_or(0))))
    .with("requests_per_second", json!((micros.len() as f64 / seconds).round()));
    Ok(((), outcome))
}

/// One client's requests, one at a time on one connection; the microseconds of each.
async fn client(addr: std::net::SocketAddr, token: &str, c: usize, customers: usize) -> anyhow::Result<Vec<u64>> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut stream = BufReader::new(stream);
    let mut micros = Vec::with_capacity(PER_CLIENT);
    for n in 0..PER_CLIENT {
        let customer = 1 + (c * PER_CLIENT + n) * 7 % customers.max(1);
        let body = format!(
            r#"{{"customer_number": "B{customer:07}", "amount": "10.00", "method": "transfer", "piece_number": "bench {c}-{n}", "allocate": "proposal"}}"#
        );
        let request = format!(
            "POST /api/v1/payments HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let sent = Instant::now();
        stream.get_mut().write_all(request.as_bytes()).await?;
        let mut status = String::new();
        stream.read_line(&mut status).await?;
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            stream.read_line(&mut line).await?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse()?;
                }
            }
        }
        let mut answer = vec![0u8; length];
        stream.read_exact(&mut answer).await?;
        micros.push(sent.elapsed().as_micros() as u64);
        anyhow::ensure!(
            status.starts_with("HTTP/1.1 201"),
            "{} answered: {}",
            status.trim(),
            String::from_utf8_lossy(&answer)
        );
    }
    Ok(micros)
}
