//! The process's peak memory during one step (Linux; elsewhere the figures are 0): the kernel's
//! high-water mark of the resident set (`VmHWM`, reset before the step by `clear_refs`), and the
//! anonymous part (`RssAnon`: the heap, without the database file's pages that SQLite maps), which
//! the kernel keeps no peak of: a thread samples it every 5 ms. Before each step the allocator
//! returns the memory freed so far (`malloc_trim`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Samples memory from its start until [`Watch::stop`].
pub struct Watch {
    stop: Arc<AtomicBool>,
    peak_anon_kib: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Peak memory of a step, in MiB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Peak {
    pub rss_mib: u64,
    pub anon_mib: u64,
}

impl Watch {
    pub fn start() -> Watch {
        // Gives the heap that earlier steps freed back to the kernel (glibc keeps it otherwise), so
        // that a step's peak is what it holds, not what the steps before it once held.
        #[cfg(target_os = "linux")]
        // SAFETY: malloc_trim only releases free memory of the allocator; it takes no pointers.
        unsafe {
            libc::malloc_trim(0);
        }
        // Resets VmHWM to the current resident set, so that the peak read after the step is its own.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let stop = Arc::new(AtomicBool::new(false));
        let peak_anon_kib = Arc::new(AtomicU64::new(status_kib("RssAnon:").unwrap_or(0)));
        let thread = {
            let (stop, peak) = (stop.clone(), peak_anon_kib.clone());
            std::thread::Builder::new()
                .name("bench-memory".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        if let Some(kib) = status_kib("RssAnon:") {
                            peak.fetch_max(kib, Ordering::Relaxed);
                        }
                        std::thread::sleep(Duration::from_millis(5));
                    }
                })
                .ok()
        };
        Watch { stop, peak_anon_kib, thread }
    }

    pub fn stop(mut self) -> Peak {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Some(kib) = status_kib("RssAnon:") {
            self.peak_anon_kib.fetch_max(kib, Ordering::Relaxed);
        }
        Peak {
            rss_mib: status_kib("VmHWM:").unwrap_or(0) / 1024,
            anon_mib: self.peak_anon_kib.load(Ordering::Relaxed) / 1024,
        }
    }
}

/// A `/proc/self/status` figure in KiB.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
