//! The browser suite: the web UI in headless Chromium, driven over WebDriver (Debian's
//! `/usr/bin/chromedriver` and `/usr/bin/chromium`, `--headless=new --window-size=1280,800`). The
//! WebDriver client is the few commands below over plain HTTP/1.1 (tokio's TcpStream and
//! serde_json): no WebDriver crate. Each test starts the real server on port 0 over a fresh SQLite
//! database with demo data, and its own chromedriver on a free port.
//!
//! Without chromium or chromedriver the suite is skipped and said so (the `CREANCE_TEST_SKIPS`
//! file, like the PostgreSQL half), unless `CREANCE_TEST_REQUIRE_BROWSER=1` (CI), which fails.
//! With `CREANCE_SCREENSHOTS=1` the tests write the screenshots of `docs/screenshots/`.

mod cash;
mod customers;
mod dunning;
mod installation;
mod login;
mod payments;
mod reports;
mod schedule;
mod settings;
mod settings_dunning;
mod small_balances;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use creance_app::App;
use creance_store::testing::TestDb;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long `wait_for` and the start-up wait before failing.
const DEADLINE: Duration = Duration::from_secs(20);
/// The WebDriver key codes.
pub const ENTER: &str = "\u{E007}";
pub const TAB: &str = "\u{E004}";

/// Whether the browser suite can run here; notes the skip (or panics in CI) when it cannot.
fn available() -> bool {
    let here = std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !here {
        if std::env::var("CREANCE_TEST_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("CREANCE_TEST_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing");
        }
        creance_store::testing::note_skip(
            "Browser",
            "chromium/chromedriver not installed; the web UI browser tests did not run",
        );
    }
    here
}

/// A free TCP port on 127.0.0.1 (bound and released: chromedriver binds it right after).
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// One WebDriver command: `method path` with an optional JSON body; the answer's `value`.
async fn wd(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.map_err(|e| e.to_string())?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.map_err(|e| e.to_string())?;
    // Read the head, then exactly Content-Length bytes (chromedriver may keep the connection open).
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let (head_len, body_len) = loop {
        let n = stream.read(&mut buf).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("chromedriver closed the connection".into());
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .ok_or("chromedriver answered without Content-Length")?;
            break (end + 4, len);
        }
    };
    while raw.len() < head_len + body_len {
        let n = stream.read(&mut buf).await.map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let body = String::from_utf8_lossy(&raw[head_len..]).into_owned();
    let v: Value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
    let value = v.get("value").cloned().unwrap_or(Value::Null);
    if value.get("error").is_some() {
        return Err(format!("{method} {path}: {value}"));
    }
    Ok(value)
}

/// A started server and a browser session on it.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    /// `http://127.0.0.1:PORT` of the Créance server.
    pub base: String,
    pub app: App,
    db: Option<TestDb>,
    server: tokio::task::JoinHandle<()>,
}

/// An element of the page (its WebDriver reference).
#[derive(Debug, Clone)]
pub struct El(String);

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    /// Starts the server over `app` (its database given to `db`) and a headless Chromium; `None`
    /// when the suite is skipped.
    pub async fn start(test_db: TestDb) -> Option<Browser> {
        Browser::start_with(test_db, creance_server::web::WebConfig::default()).await
    }

    /// [`Browser::start`] with the web UI's settings (an installation code).
    pub async fn start_with(test_db: TestDb, config: creance_server::web::WebConfig) -> Option<Browser> {
        if !available() {
            test_db.finish().await;
            return None;
        }
        let app = App::new(test_db.db.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server_app = app.clone();
        let server = tokio::spawn(async move {
            creance_server::serve_web(server_app, listener, creance_server::Timeouts::default(), config).await.unwrap();
        });
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        loop {
            if let Ok(v) = wd(port, "GET", "/status", None).await {
                if v.get("ready") == Some(&Value::Bool(true)) {
                    break;
                }
            }
            assert!(started.elapsed() < DEADLINE, "chromedriver did not start within {DEADLINE:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "prefs": { "intl.accept_languages": "fr-FR,fr" },
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,800", "--lang=fr-FR", "--hide-scrollbars",
                         "--force-device-scale-factor=1"]
            }
        } } });
        let v = wd(port, "POST", "/session", Some(&caps)).await.expect("a browser session");
        let session = v["sessionId"].as_str().expect("sessionId").to_string();
        Some(Browser { driver, port, session, base, app, db: Some(test_db), server })
    }

    async fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        wd(self.port, method, &format!("/session/{}{path}", self.session), body.as_ref()).await
    }

    /// Opens a path of the server (`/clients`).
    pub async fn goto(&self, path: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": format!("{}{path}", self.base) }))).await.unwrap();
    }

    /// The current URL's path and query.
    pub async fn path(&self) -> String {
        let url = self.cmd("GET", "/url", None).await.unwrap();
        url.as_str().unwrap_or("").trim_start_matches(&self.base).to_string()
    }

    /// The first element matching `css`, if any.
    pub async fn try_find(&self, css: &str) -> Option<El> {
        let v = match self.cmd("POST", "/element", Some(json!({ "using": "css selector", "value": css }))).await {
            Ok(v) => v,
            Err(e) => {
                if std::env::var("WD_DEBUG").is_ok() {
                    eprintln!("find {css:?}: {e}");
                }
                return None;
            }
        };
        if std::env::var("WD_DEBUG").is_ok() {
            eprintln!("find {css:?} → {v}");
        }
        v.get(ELEMENT_KEY).and_then(Value::as_str).map(|id| El(id.to_string()))
    }

    /// The first element matching `css` (the test fails when there is none).
    pub async fn find(&self, css: &str) -> El {
        match self.try_find(css).await {
            Some(e) => e,
            None => panic!("no element matches {css:?} on {}", self.path().await),
        }
    }

    /// Waits (polling, up to a deadline) until an element matches `css`.
    pub async fn wait_for(&self, css: &str) -> El {
        let started = Instant::now();
        loop {
            if let Some(e) = self.try_find(css).await {
                return e;
            }
            if started.elapsed() >= DEADLINE {
                let source = self.cmd("GET", "/source", None).await.unwrap_or_default();
                panic!("no element matched {css:?} within {DEADLINE:?} on {}; the page:\n{source}", self.path().await);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn click(&self, e: &El) {
        self.cmd("POST", &format!("/element/{}/click", e.0), Some(json!({}))).await.unwrap();
    }

    /// Types `text` into the element (WebDriver key codes such as [`ENTER`] included).
    pub async fn type_into(&self, e: &El, text: &str) {
        self.cmd("POST", &format!("/element/{}/value", e.0), Some(json!({ "text": text }))).await.unwrap();
    }

    pub async fn clear(&self, e: &El) {
        self.cmd("POST", &format!("/element/{}/clear", e.0), Some(json!({}))).await.unwrap();
    }

    /// The element's visible text.
    pub async fn text(&self, e: &El) -> String {
        self.cmd("GET", &format!("/element/{}/text", e.0), None).await.unwrap().as_str().unwrap_or("").to_string()
    }

    /// The visible text of the first element matching `css`.
    pub async fn text_of(&self, css: &str) -> String {
        let e = self.find(css).await;
        self.text(&e).await
    }

    /// Submits the form the element is in (as Enter in it would).
    pub async fn submit(&self, e: &El) {
        self.type_into(e, ENTER).await;
    }

    /// Runs a script in the page; its `arguments` are `args`.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({ "script": script, "args": args }))).await.unwrap()
    }

    /// The element that has the focus.
    pub async fn active(&self) -> El {
        let v = self.cmd("GET", "/element/active", None).await.unwrap();
        El(v[ELEMENT_KEY].as_str().unwrap().to_string())
    }

    /// An attribute of an element.
    pub async fn attr(&self, e: &El, name: &str) -> Option<String> {
        let v = self.cmd("GET", &format!("/element/{}/attribute/{name}", e.0), None).await.unwrap();
        v.as_str().map(str::to_string)
    }

    /// Writes a PNG of the window to `docs/screenshots/NAME` when `CREANCE_SCREENSHOTS=1`.
    pub async fn screenshot(&self, name: &str) {
        if std::env::var("CREANCE_SCREENSHOTS").map_or(true, |v| v != "1") {
            return;
        }
        let v = self.cmd("GET", "/screenshot", None).await.unwrap();
        let png = base64_decode(v.as_str().unwrap());
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), png).unwrap();
    }

    /// Logs in through the login page.
    pub async fn log_in(&self, email: &str, password: &str) {
        self.goto("/login").await;
        let e = self.wait_for("#email").await;
        self.type_into(&e, email).await;
        let p = self.find("#password").await;
        self.type_into(&p, password).await;
        self.submit(&p).await;
    }

    /// Ends the browser session, chromedriver, the server and the database.
    pub async fn finish(mut self) {
        let _ = self.cmd("DELETE", "", None).await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        self.server.abort();
        if let Some(db) = self.db.take() {
            db.finish().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A failed test still stops its chromedriver (and with it the browser).
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// A fresh SQLite database with the demo (20 customers) and the web users of the tests: `clerk@…`
/// (clerk of the demo company, read-only in a second one) and `reader@…` (read-only), both French.
pub async fn demo_db() -> (TestDb, i64) {
    let test_db = TestDb::sqlite().await;
    let app = App::new(test_db.db.clone());
    let env = crate::web::web_env(&app, creance_core::Language::Fr).await;
    (test_db, env.company)
}
