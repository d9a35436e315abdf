//! Logs on stderr through tracing-subscriber: `RUST_LOG` when set (its env filter syntax:
//! `sms_api=debug`, `sms_api::send=trace`), else `-v` (the library's debug: each attempt with
//! its OpenTelemetry attributes) or `-vv` (its trace), else warnings only. The library records
//! no secret at any level.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

/// The filter for `verbose` `-v`s when `RUST_LOG` is unset.
fn default_filter(verbose: u8) -> &'static str {
    match verbose {
        0 => "warn",
        1 => "warn,sms_api=debug",
        _ => "warn,sms_api=trace",
    }
}

/// Installs the subscriber, or says why `RUST_LOG` cannot be read.
pub fn init(verbose: u8) -> Result<(), String> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.is_empty() => EnvFilter::try_new(&directives)
            .map_err(|e| format!("RUST_LOG={directives:?} is not a filter: {e}"))?,
        _ => EnvFilter::new(default_filter(verbose)),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // A call's and each attempt's span, with their attributes, once each has ended.
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init()
        .map_err(|e| format!("logging could not start: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_v_shows_more_of_the_library() {
        assert_eq!(default_filter(0), "warn");
        assert!(default_filter(1).contains("sms_api=debug"));
        assert!(default_filter(3).contains("sms_api=trace"));
        for verbose in 0..3 {
            assert!(EnvFilter::try_new(default_filter(verbose)).is_ok());
        }
    }
}
