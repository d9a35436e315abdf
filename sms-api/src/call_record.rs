//! What the hooks saw during one call, for the error that [`ListTasksExt`](crate::ListTasksExt)
//! builds: progenitor's own error drops the status, the headers or the raw body in some cases.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// The last response of a call, as received.
#[derive(Clone, Debug)]
pub(crate) struct ReceivedResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// The body as far as it was read (all of it unless `truncated` or the read failed).
    pub(crate) body: Bytes,
    /// The body was longer than the client reads; the rest was dropped.
    pub(crate) truncated: bool,
}

/// What happened during one call.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallRecord {
    pub(crate) attempts: u32,
    pub(crate) last_response: Option<ReceivedResponse>,
    /// Set by the paginator for the first page: see [`PagingProbe`].
    pub(crate) paging: Option<PagingProbe>,
}

/// The paginator's question to the `pre` hook about the first page: which `limit` and
/// `offset` does it carry? The hook adds `limit=default_limit` when the caller set none.
#[derive(Clone, Debug)]
pub(crate) struct PagingProbe {
    pub(crate) default_limit: i64,
    /// `(limit, offset)` as sent, once the hook has seen the request.
    pub(crate) sent: Option<(i64, i64)>,
}

/// A record shared between the caller and the hooks of one call.
pub(crate) type SharedRecord = Arc<Mutex<CallRecord>>;

tokio::task_local! {
    /// Set by `ListTasksExt` around a call; read by the hooks.
    pub(crate) static CALL: SharedRecord;
}

/// Updates the current call's record, if the call is being recorded.
pub(crate) fn update(change: impl FnOnce(&mut CallRecord)) {
    let _ = CALL.try_with(|record| {
        if let Ok(mut record) = record.lock() {
            change(&mut record);
        }
    });
}

/// Runs `call` with `record` as the current call's record, then returns what was recorded.
pub(crate) async fn recorded<T>(
    record: CallRecord,
    call: impl std::future::Future<Output = T>,
) -> (T, CallRecord) {
    let shared = Arc::new(Mutex::new(record));
    let output = CALL.scope(shared.clone(), call).await;
    (output, take(&shared))
}

/// Takes what was recorded.
fn take(record: &SharedRecord) -> CallRecord {
    record
        .lock()
        .map(|mut r| std::mem::take(&mut *r))
        .unwrap_or_default()
}
