//! The CSV of a list, in both dialects, against golden files; and streaming: rows go out as they
//! are written.

use crate::golden::check_golden;
use crate::samples::{list_columns, list_rows};
use creance_core::Language;
use creance_render::csv::{CsvWriter, Dialect};

fn csv(dialect: Dialect) -> String {
    let mut w = CsvWriter::new(Vec::new(), dialect);
    let titles: Vec<String> = list_columns(Language::Fr).into_iter().map(|c| c.title).collect();
    w.header(&titles).unwrap();
    for row in list_rows() {
        w.row(&row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[test]
fn golden_list_csv() {
    check_golden("open_items.csv", &csv(Dialect::Standard));
    check_golden("open_items_excel.csv", &csv(Dialect::Excel));
}

/// A writer that counts what reaches it and keeps nothing.
struct Counting(usize);

impl std::io::Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn rows_stream_to_the_writer_as_they_are_written() {
    let mut w = CsvWriter::new(Counting(0), Dialect::Excel);
    let row = &list_rows()[0];
    let mut last = 0;
    for _ in 0..100_000 {
        w.row(row).unwrap();
    }
    let written = w.into_inner().unwrap().0;
    assert!(written > 100_000 * 40, "{written}");
    // One more row adds one row's bytes: nothing is held back.
    let mut w = CsvWriter::new(Counting(0), Dialect::Standard);
    for i in 0..3 {
        w.row(row).unwrap();
        let now = w.into_inner().unwrap();
        assert!(now.0 > last || i == 0);
        last = now.0;
        w = CsvWriter::new(now, Dialect::Standard);
    }
}
