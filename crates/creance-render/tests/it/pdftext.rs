//! Text out of a PDF with poppler's `pdftotext`, and the skip note when the tool is absent.

use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Records that a suite was skipped, where the test script will find it (a copy of
/// `creance_store::testing::note_skip`: this crate must not depend on the store).
pub fn note_skip(suite: &str, why: &str) {
    eprintln!("SKIPPED {suite}: {why}");
    if let Ok(path) = std::env::var("CREANCE_TEST_SKIPS") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            // One write per line: with O_APPEND it lands whole even when test binaries run at once.
            let _ = f.write_all(format!("{suite}: {why}\n").as_bytes());
        }
    }
}

/// The text of `pdf` page by page (`pdftotext -layout`), or `None` (after noting the skip) when
/// `pdftotext` is not installed.
pub fn pages(pdf: &[u8]) -> Option<Vec<String>> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("creance_render_{}_{n}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-layout", "-enc", "UTF-8"]).arg(&path).arg("-").output();
    let _ = std::fs::remove_file(&path);
    match out {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            note_skip("PDF text", "pdftotext (poppler-utils) is not installed; PDF text checks did not run");
            None
        }
        Err(e) => panic!("pdftotext: {e}"),
        Ok(out) => {
            assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8(out.stdout).unwrap();
            let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
            if pages.last().is_some_and(|p| p.trim().is_empty()) {
                pages.pop();
            }
            Some(pages)
        }
    }
}

/// The whole text, pages joined.
pub fn text(pdf: &[u8]) -> Option<String> {
    pages(pdf).map(|p| p.join("\n"))
}

/// `text` as `pdftotext` gives it back: poppler treats every Unicode space as a word break and
/// writes U+0020, so U+00A0 and U+202F come out as plain spaces (that the PDF holds them is checked
/// on its ToUnicode map, see `letters::no_break_spaces_are_in_the_text_of_the_pdf`).
pub fn plain(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

/// Every `/FlateDecode` stream of `pdf`, decompressed (those that are not zlib data are skipped).
pub fn streams(pdf: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut at = 0;
    let find = |from: usize, what: &[u8]| pdf[from..].windows(what.len()).position(|w| w == what).map(|p| from + p);
    while let Some(start) = find(at, b"stream\n") {
        let data = start + b"stream\n".len();
        let Some(end) = find(data, b"\nendstream") else { break };
        let mut buf = vec![0; 4 << 20];
        if let Ok(n) = libdeflater::Decompressor::new().zlib_decompress(&pdf[data..end], &mut buf) {
            buf.truncate(n);
            out.push(buf);
        }
        at = end + b"\nendstream".len();
    }
    out
}

/// The Unicode values the PDF's ToUnicode maps give its characters (`<0003> <00A0>` → U+00A0).
pub fn unicode_map(pdf: &[u8]) -> Vec<char> {
    let mut chars = Vec::new();
    for s in streams(pdf) {
        let text = String::from_utf8_lossy(&s).to_string();
        if !text.contains("beginbfchar") {
            continue;
        }
        for line in text.lines() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if let [cid, uni] = parts[..] {
                if cid.starts_with('<') && uni.starts_with('<') && uni.len() == 6 {
                    let code = u32::from_str_radix(&uni[1..5], 16).unwrap();
                    chars.extend(char::from_u32(code));
                }
            }
        }
    }
    chars
}
