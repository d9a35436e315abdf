//! Every file the build script (`build.rs`, calling `sms-api-codegen` in `codegen/`) writes
//! into `OUT_DIR`, included here and nowhere else. None of it is edited by hand: change the
//! spec and rebuild. Each file has one renderer in `codegen/src/render/`.
//!
//! | file | rendered by | what it is |
//! |---|---|---|
//! | `client.rs` | `render/client.rs` (progenitor, then `passes/`) | the client, one builder per operation, the types |
//! | `operations.rs` | `render/operations.rs` | each builder as a [`send::Operation`](crate::send::Operation) |
//! | `invoke.rs` | `render/invoke.rs` | every operation and its inputs, and a call of one by name ([`invoke`](crate::invoke)) |
//! | `derived.rs` | `render/derived.rs` | the methods the spec says to derive from response fields (`x-json-text`, `x-current-element`) |
//! | `pagination.rs` | `render/pagination.rs` | each paginated builder as a [`paging::Paginated`](crate::paging::Paginated) |
//! | `waiters.rs` | `render/waiters.rs` | each `x-waiters` waiter as `wait_until_<name>()`, each `x-watch` as [`wait::Watched`](crate::wait::Watched) |
//! | `parameter_bounds.rs` | `render/parameter_bounds.rs` | the documented bounds of every parameter |
//! | `query_parameters.rs` | `render/query_parameters.rs` | what the fake service does with each query parameter |
//! | `open_enums.rs` | `render/open_enums.rs` | the spec's enums, open |
//! | `documented_examples.rs` | `render/documented_examples.rs` | the spec's response examples |
//! | `regions.rs` | `render/regions.rs` | the regions of the spec's `servers` |
//! | `mock.rs` | `render/mock.rs` (progenitor, then `passes/`) | typed httpmock helpers (feature `mock`) |

/// progenitor's client, builders and types, and the operation glue derived from them.
/// (progenitor's own `prelude` is unused: `crate::prelude` is the crate's.)
#[allow(missing_docs, unused_imports, clippy::all, clippy::pedantic)]
pub(crate) mod client {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
    include!(concat!(env!("OUT_DIR"), "/operations.rs"));
    include!(concat!(env!("OUT_DIR"), "/pagination.rs"));
    include!(concat!(env!("OUT_DIR"), "/derived.rs"));
}

/// Every operation with its inputs, and the dispatcher that calls one by name.
#[allow(clippy::all, clippy::pedantic)]
pub(crate) mod invoke {
    use super::client::types;

    include!(concat!(env!("OUT_DIR"), "/invoke.rs"));
}

/// The spec's enum schemas as open enums.
#[allow(clippy::all, clippy::pedantic)]
pub(crate) mod waiters {
    use super::client::{builder, types};

    include!(concat!(env!("OUT_DIR"), "/waiters.rs"));
}

pub(crate) mod open_enums {
    use crate::types::open_enum::{open_int_enum, open_string_enum};

    include!(concat!(env!("OUT_DIR"), "/open_enums.rs"));
}

/// The documented bounds of every query parameter.
pub(crate) mod parameter_bounds {
    include!(concat!(env!("OUT_DIR"), "/parameter_bounds.rs"));
}

/// The spec's response examples.
pub(crate) mod documented_examples {
    include!(concat!(env!("OUT_DIR"), "/documented_examples.rs"));
}

/// The `Region` constants (an `impl` block on [`Region`](crate::Region)).
mod regions {
    include!(concat!(env!("OUT_DIR"), "/regions.rs"));
}

/// progenitor's typed httpmock helpers.
#[cfg(feature = "mock")]
#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub(crate) mod mock {
    include!(concat!(env!("OUT_DIR"), "/mock.rs"));
}

#[cfg(feature = "fake")]
pub(crate) mod query_parameters {
    include!(concat!(env!("OUT_DIR"), "/query_parameters.rs"));
}

/// The generated source exactly as compiled, so that tests can pin it in snapshots that a
/// reviewer reads in a pull request's diff. Not part of the API.
pub mod generated_source {
    /// progenitor's client, builders and types (`client.rs`).
    pub const CLIENT: &str = include_str!(concat!(env!("OUT_DIR"), "/client.rs"));
    /// Each builder as an operation, and as a paginated one where the spec says so, and the
    /// methods derived from response fields.
    pub const OPERATIONS: &str = concat!(
        include_str!(concat!(env!("OUT_DIR"), "/operations.rs")),
        include_str!(concat!(env!("OUT_DIR"), "/pagination.rs")),
        include_str!(concat!(env!("OUT_DIR"), "/derived.rs"))
    );
    /// The open enums derived from the spec (`open_enums.rs`).
    pub const OPEN_ENUMS: &str = include_str!(concat!(env!("OUT_DIR"), "/open_enums.rs"));
    /// The waiters of the spec's `x-waiters`, compiled (`waiters.rs`).
    pub const WAITERS: &str = include_str!(concat!(env!("OUT_DIR"), "/waiters.rs"));
    /// The regions derived from the spec's `servers` (`regions.rs`).
    pub const REGIONS: &str = include_str!(concat!(env!("OUT_DIR"), "/regions.rs"));
    /// progenitor's httpmock helpers (`mock.rs`).
    pub const MOCK: &str = include_str!(concat!(env!("OUT_DIR"), "/mock.rs"));
}
