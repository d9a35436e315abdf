//! Peak memory of this process (Linux: `/proc/self`), for the memory benchmarks.

/// The peak resident set size so far, in KiB.
pub fn peak_rss_kib() -> u64 {
    status_kib("VmHWM:")
}

/// The resident set size now, in KiB.
// Used by the watch's benchmark (waiting.rs), not by stream_memory.rs, which includes this too.
#[allow(dead_code)]
pub fn current_rss_kib() -> u64 {
    status_kib("VmRSS:")
}

/// A line of `/proc/self/status` in KiB (`VmHWM:   1234 kB`); 0 where there is none.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resets the peak to the current RSS.
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
