//! Integration tests of creance-render (one binary): text extracted from each kind of PDF with
//! `pdftotext` (Debian `poppler-utils`; skipped and noted when absent), golden files, CSV, and the
//! determinism of the bytes.

mod csv_golden;
mod documents;
mod golden;
mod letters;
mod pdftext;
mod samples;
