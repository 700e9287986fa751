//! The tidy test (CONVENTIONS, "Tests", 5): rules about the source tree itself, checked by walking the
//! repository from `CARGO_MANIFEST_DIR/../..`, so it runs from a fresh clone with nothing else.
//!
//! 1. No `.rs` file under `crates/*/src` over 800 lines.
//! 2. No `f32`/`f64` in any `.rs` file under `crates/*/src` or `crates/*/tests`, except the benchmark
//!    (`crates/creance/src/bench/`), `crates/creance-render/src/units.rs` (PDF coordinates) and this file.
//! 3. No `.unwrap()` under `crates/*/src` outside `#[cfg(test)]` items (a file that a
//!    `#[cfg(test)] mod …;` declaration pulls in is a test item as a whole).
//! 4. No `Serialize`/`Deserialize`/`ToSchema` derive under `crates/creance-store/src` (the store knows
//!    SQL; what goes over the wire is shaped in the crates above it).
//! 5. Every SPEC §4 subsection is named. The SPEC itself is not in the repository, so the list of
//!    subsections is the one the repository keeps: the SPEC map of `ARCHITECTURE.md`. The map must
//!    list §4.1 to its last §4.x with none missing (a range row `§4.3–§4.5` lists three); each
//!    subsection whose row is not "not yet" must be named (`§4.x`, or inside a range `§4.a–4.b`) by a
//!    module doc comment (`//!`) under `crates/*/src`; and every file the map names (`` `….rs` ``,
//!    `` `….sql` ``) must exist, so that the map stays true when files move (a path is looked up from
//!    the repository, from `crates/`, from each crate folder, and a bare file name anywhere).
//!
//! 6. No clock in `crates/creance-store/src` or `crates/creance-app/src` outside `#[cfg(test)]`: no
//!    `SystemTime::now`, `Instant::now` or `clock::` there except `creance-app/src/clock.rs` (the one
//!    reading, for the edges) and the unique names of `creance-store/src/testing.rs`. The instant is
//!    passed in (an `Actor` carries it; a transaction is stamped with it).
//! 7. No `creance_store` under `crates/creance-server/src` or `crates/creance/src`: the server and the
//!    binary see the app's types only (their `Cargo.toml` has the store as a dev-dependency, for tests).
//!
//! Lines are scanned without their `//` comments and string literals, so a comment or a message that
//! mentions `f64` or `.unwrap()` is not a violation. The failure lists every violation as
//! `file:line: rule`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository root")
}

/// Every `.rs` file under `dir`, recursively, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The crate folders (`crates/*`), sorted.
fn crate_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .expect("crates/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

/// One line of Rust with its `//` comment and the contents of its string and char literals removed
/// (`"…"` becomes `""`). `in_block` carries a `/* … */` comment over lines. Raw strings are treated as
/// plain strings, which is enough for this tree.
fn code_of(line: &str, in_block: &mut bool) -> String {
    let b: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if *in_block {
            if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                *in_block = false;
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        match b[i] {
            '/' if b.get(i + 1) == Some(&'/') => break,
            '/' if b.get(i + 1) == Some(&'*') => {
                *in_block = true;
                i += 2;
            }
            '"' => {
                out.push_str("\"\"");
                i += 1;
                while i < b.len() && b[i] != '"' {
                    i += if b[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            // A char literal ('x', '\n', '{'), not a lifetime ('a).
            '\'' if b.get(i + 2) == Some(&'\'') || (b.get(i + 1) == Some(&'\\') && b.get(i + 3) == Some(&'\'')) => {
                out.push_str("' '");
                i += if b.get(i + 1) == Some(&'\\') { 4 } else { 3 };
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The code of each line (see [`code_of`]) and whether the line is inside a `#[cfg(test)]` item.
fn scan(text: &str) -> Vec<(String, bool)> {
    let mut in_block = false;
    let mut out = Vec::new();
    // After `#[cfg(test)]`: waiting for the item's `{` (or its `;`), then its brace depth.
    let (mut pending, mut depth) = (false, 0i64);
    for line in text.lines() {
        let code = code_of(line, &mut in_block);
        let in_test = pending || depth > 0;
        if depth == 0 && !pending && code.trim_start().starts_with("#[cfg(test)]") {
            pending = true;
            out.push((code, true));
            continue;
        }
        for c in code.chars() {
            match c {
                '{' if pending || depth > 0 => {
                    pending = false;
                    depth += 1;
                }
                '}' if depth > 0 => depth -= 1,
                ';' if pending && depth == 0 => pending = false,
                _ => {}
            }
        }
        out.push((code, in_test));
    }
    out
}

/// Whether `code` holds `word` as a whole identifier.
fn has_word(code: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(word).any(|(i, _)| {
        !code[..i].chars().next_back().is_some_and(ident) && !code[i + word.len()..].chars().next().is_some_and(ident)
    })
}

/// The §4 subsections a text names: `§4.6`, and each of a range `§4.3–§4.5` / `§4.2–4.5`.
fn sections_named(text: &str) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("§4.") {
        let rest = &text[i + "§4.".len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Ok(first) = digits.parse::<u32>() else { continue };
        let mut last = first;
        let after = &rest[digits.len()..];
        for dash in ["–", "-"] {
            if let Some(r) = after.strip_prefix(dash) {
                let r = r.strip_prefix('§').unwrap_or(r);
                if let Some(r) = r.strip_prefix("4.") {
                    let d: String = r.chars().take_while(char::is_ascii_digit).collect();
                    if let Ok(n) = d.parse::<u32>() {
                        last = n.max(first);
                    }
                }
            }
        }
        out.extend(first..=last);
    }
    out
}

/// The files a `#[cfg(test)]` module declaration pulls in (`#[cfg(test)] #[path = "money_tests.rs"]
/// mod tests;`, or `#[cfg(test)] mod tests;`): test code as a whole, like an inline test module.
fn test_module_files(root: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for dir in crate_dirs(root) {
        let mut files = Vec::new();
        rust_files(&dir.join("src"), &mut files);
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let here = path.parent().unwrap_or(root).to_path_buf();
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            // `mod x;` in `a.rs` is `a/x.rs`; in `mod.rs`, `lib.rs` or `main.rs` it is `x.rs` beside it.
            let nested = if ["mod", "lib", "main"].contains(&stem.as_str()) { here.clone() } else { here.join(&stem) };
            let mut path_attr: Option<String> = None;
            for ((code, in_test), raw) in scan(&text).iter().zip(text.lines()) {
                if !in_test {
                    path_attr = None;
                    continue;
                }
                let raw = raw.trim();
                if let Some(p) = raw.strip_prefix("#[path = \"").and_then(|r| r.strip_suffix("\"]")) {
                    path_attr = Some(p.to_string());
                } else if let Some(name) = code.trim().strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
                    match path_attr.take() {
                        Some(p) => out.insert(here.join(p)),
                        None => out.insert(nested.join(format!("{}.rs", name.trim()))),
                    };
                }
            }
        }
    }
    out
}

/// Every violation of rules 1–4, 6 and 7 in the tree at `root`, as `file:line: rule`.
fn source_violations(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let test_files = test_module_files(root);
    for dir in crate_dirs(root) {
        let is_store = dir.file_name().is_some_and(|n| n == "creance-store");
        let no_clock = is_store || dir.file_name().is_some_and(|n| n == "creance-app");
        let above_app = dir.file_name().is_some_and(|n| n == "creance-server" || n == "creance");
        for (sub, is_src) in [("src", true), ("tests", false)] {
            let mut files = Vec::new();
            rust_files(&dir.join(sub), &mut files);
            for path in files {
                let name = relative(root, &path);
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
                let mut lines = scan(&text);
                if test_files.contains(&path) {
                    lines.iter_mut().for_each(|(_, in_test)| *in_test = true);
                }
                if is_src && lines.len() > MAX_LINES {
                    out.push(format!("{name}:{}: {} lines, over {MAX_LINES}", MAX_LINES + 1, lines.len()));
                }
                // creance-render's units.rs turns integer layout units into the f32 coordinates that
                // pdf-writer takes: the one place a float meets a PDF, and never an amount.
                let float_allowed = name.starts_with("crates/creance/src/bench/")
                    || name == "crates/creance/tests/it/tidy.rs"
                    || name == "crates/creance-render/src/units.rs";
                let mut derive: Option<(usize, String)> = None;
                for (n, (code, in_test)) in lines.iter().enumerate() {
                    let at = format!("{name}:{}", n + 1);
                    // A serde visitor's `visit_f64` is where a float is refused: its signature names it.
                    if !float_allowed && !code.contains("fn visit_f64") && !code.contains("fn visit_f32") {
                        for float in ["f32", "f64"] {
                            if has_word(code, float) {
                                out.push(format!("{at}: {float} outside the benchmark"));
                            }
                        }
                    }
                    if is_src && !in_test && code.contains(".unwrap()") {
                        out.push(format!("{at}: .unwrap() outside #[cfg(test)]"));
                    }
                    let clock_allowed = name == "crates/creance-app/src/clock.rs"
                        || (name == "crates/creance-store/src/testing.rs" && code.contains("subsec_nanos"));
                    if is_src && above_app && has_word(code, "creance_store") {
                        out.push(format!("{at}: names creance_store above the app"));
                    }
                    if is_src && no_clock && !in_test && !clock_allowed {
                        for read in ["SystemTime::now", "Instant::now", "clock::"] {
                            if code.contains(read) {
                                out.push(format!("{at}: reads the clock ({read}) below the edges"));
                            }
                        }
                    }
                    if is_src && is_store {
                        // A derive may span lines: gather it up to its closing `]`.
                        if derive.is_none() && code.contains("#[derive(") {
                            derive = Some((n + 1, String::new()));
                        }
                        if let Some((start, text)) = &mut derive {
                            text.push_str(code);
                            if code.contains(")]") {
                                for what in ["Serialize", "Deserialize", "ToSchema"] {
                                    if has_word(text, what) {
                                        out.push(format!("{name}:{start}: derives {what} in the store"));
                                    }
                                }
                                derive = None;
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// Every violation of rule 5, as `file:line: rule`.
fn spec_map_violations(root: &Path) -> Vec<String> {
    let arch = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut out = Vec::new();
    let start = arch.lines().position(|l| l.trim() == "## SPEC map");
    let Some(start) = start else {
        return vec!["ARCHITECTURE.md:1: no \"## SPEC map\" section".into()];
    };
    let mut mapped = BTreeSet::new();
    let mut implemented = Vec::new();
    let mut files = Vec::new();
    for (n, line) in arch.lines().enumerate().skip(start + 1) {
        if line.starts_with("## ") {
            break;
        }
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
        if !line.trim_start().starts_with('|') || cells.len() < 2 {
            continue;
        }
        let sections = sections_named(cells[0]);
        let not_yet = cells[1].to_lowercase().starts_with("not yet");
        for s in &sections {
            mapped.insert(*s);
            if !not_yet {
                implemented.push((n + 1, *s));
            }
        }
        for (i, part) in cells[1].split('`').enumerate() {
            if i % 2 == 1 && (part.ends_with(".rs") || part.ends_with(".sql")) {
                files.push((n + 1, part.to_string()));
            }
        }
    }
    let last = mapped.iter().max().copied().unwrap_or(0);
    if last == 0 {
        out.push(format!("ARCHITECTURE.md:{}: the SPEC map names no §4.x", start + 1));
    }
    for s in 1..=last {
        if !mapped.contains(&s) {
            out.push(format!("ARCHITECTURE.md:{}: §4.{s} is missing from the SPEC map", start + 1));
        }
    }
    // What the module doc comments under crates/*/src name.
    let mut named = BTreeSet::new();
    let mut all_files = Vec::new();
    for dir in crate_dirs(root) {
        rust_files(&dir.join("src"), &mut all_files);
    }
    for path in &all_files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for line in text.lines().filter(|l| l.trim_start().starts_with("//!")) {
            named.extend(sections_named(line));
        }
    }
    for (line, s) in implemented {
        if !named.contains(&s) {
            out.push(format!(
                "ARCHITECTURE.md:{line}: §4.{s} is named by no module doc comment (//!) under crates/*/src"
            ));
        }
    }
    // Every file the map names exists: a path is looked up from the repository, from crates/ and
    // (for a bare file name) anywhere in the tree.
    let mut tree = Vec::new();
    walk_all(&root.join("crates"), &mut tree);
    for (line, file) in files {
        let found = if file.contains('/') {
            // `creance-store/src/x.rs`, or `src/x.rs` after the crate the row just named.
            root.join(&file).exists()
                || root.join("crates").join(&file).exists()
                || crate_dirs(root).iter().any(|d| d.join(&file).exists())
        } else {
            tree.iter().any(|p| p.file_name().is_some_and(|n| n == file.as_str()))
        };
        if !found {
            out.push(format!("ARCHITECTURE.md:{line}: the SPEC map names `{file}`, which does not exist"));
        }
    }
    out
}

/// Every file under `dir` (no `target/`).
fn walk_all(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            if !path.ends_with("target") {
                walk_all(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_source_tree_keeps_the_house_rules() {
    let root = repo();
    let mut violations: Vec<String> =
        source_violations(&root).into_iter().filter(|v| !v.contains(" in the store")).collect();
    violations.extend(spec_map_violations(&root));
    assert!(violations.is_empty(), "{} tidy violation(s):\n{}", violations.len(), violations.join("\n"));
}

#[test]
fn the_store_carries_no_serde_or_openapi_derive() {
    let violations: Vec<String> =
        source_violations(&repo()).into_iter().filter(|v| v.contains(" in the store")).collect();
    assert!(violations.is_empty(), "{} derive(s) in the store:\n{}", violations.len(), violations.join("\n"));
}

#[test]
fn the_tidy_scanner_sees_code_not_comments_strings_or_tests() {
    let text = "fn a() -> f64 { x.unwrap() } // f32 .unwrap()\n\
                let s = \"f64 .unwrap() {\"; let c = '{';\n\
                /* f64\n .unwrap() */ let ok = 1;\n\
                #[cfg(test)]\n\
                mod tests {\n\
                    fn t() { y.unwrap(); }\n\
                }\n\
                fn b<'a>(v: &'a str) { v.unwrap() }\n";
    let lines = scan(text);
    let found: Vec<(usize, bool, bool, bool)> = lines
        .iter()
        .enumerate()
        .map(|(n, (code, in_test))| (n + 1, has_word(code, "f64"), code.contains(".unwrap()"), *in_test))
        .filter(|(_, f, u, _)| *f || *u)
        .collect();
    assert_eq!(found, [(1, true, true, false), (7, false, true, true), (9, false, true, false)], "{lines:#?}");
    assert!(!has_word("f640 xf64", "f64"));
    assert_eq!(sections_named("§4.3–§4.5 and §4.2–4.5, §4.10"), BTreeSet::from([2, 3, 4, 5, 10]));
    assert_eq!(sections_named("SPEC §4.1."), BTreeSet::from([1]));
}
