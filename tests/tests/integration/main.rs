//! The integration tests, as one test binary (matklad's layout: one binary links once, where
//! one per file linked 21 times). Each module is one concern; the suites that need a process
//! of their own stay apart: `metrics.rs` (the process's metrics recorder),
//! `credential_chain_env.rs` (the process's environment), `tracing_output.rs` (tracing caches
//! which callsites are enabled process-wide, so a scoped subscriber beside other tests' calls
//! on other threads can miss its spans), and the two that pin snapshots
//! (`generated_api.rs`, `documented_examples.rs`), which `cargo xtask regen` runs alone.

#[path = "../scratch/mod.rs"]
mod scratch;
#[path = "../spec_values/mod.rs"]
mod spec_values;
#[path = "../support/mod.rs"]
mod support;

mod actions;
mod adaptive_concurrency;
mod compression;
mod credentials;
mod derived_fields;
mod fake_actions;
mod faults;
mod invoke;
mod list_tasks_http;
mod official_sdk_decode;
mod open_enums;
mod pagination;
mod private_ca;
mod signing_http;
mod spec_driven;
mod spec_mutations;
mod temporary_credentials;
mod throttling;
mod unattended;
mod waiters;
mod watch_progress;
