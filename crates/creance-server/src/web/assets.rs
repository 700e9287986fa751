//! The static files, compiled into the binary: our stylesheet, our one small script (`app.js`: a
//! table row with `data-href` opens that page when clicked) and htmx 2.0.11 (vendored from
//! `npm pack htmx.org@2.0.11`, `dist/htmx.min.js`; licence 0BSD, `assets/htmx-LICENSE.txt`). Served
//! under `/static/{hash}/{file}`, the hash being the file's content hash (FNV-1a, computed at compile
//! time), with a one-year immutable cache: a changed file gets a new URL.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../../assets/app.css");
const HTMX: &str = include_str!("../../assets/htmx-2.0.11.min.js");
const JS: &str = include_str!("../../assets/app.js");

const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

const CSS_HASH: u64 = fnv1a(CSS.as_bytes());
const HTMX_HASH: u64 = fnv1a(HTMX.as_bytes());
const JS_HASH: u64 = fnv1a(JS.as_bytes());

pub fn css_url() -> String {
    format!("/static/{CSS_HASH:016x}/app.css")
}

pub fn htmx_url() -> String {
    format!("/static/{HTMX_HASH:016x}/htmx.min.js")
}

pub fn js_url() -> String {
    format!("/static/{JS_HASH:016x}/app.js")
}

pub async fn serve(Path((hash, file)): Path<(String, String)>) -> Response {
    let (body, kind, expected) = match file.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8", CSS_HASH),
        "htmx.min.js" => (HTMX, "text/javascript; charset=utf-8", HTMX_HASH),
        "app.js" => (JS, "text/javascript; charset=utf-8", JS_HASH),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    if hash != format!("{expected:016x}") {
        return StatusCode::NOT_FOUND.into_response();
    }
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], body)
        .into_response()
}
