//! Extra methods on the generated ListTasks builder.

use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::builder::ListTasks;
use crate::call_record::{self, CALL, CallRecord};
use crate::types::ListTasksResponse;
use crate::{Error, ResponseValue};

/// Extra methods on [`builder::ListTasks`](crate::builder::ListTasks), the builder that
/// `client.list_tasks()` returns.
pub trait ListTasksExt {
    /// Sends the request (retrying transient failures per the client's policy) and returns the
    /// page, or one [`Error`] that says everything known about what went wrong.
    ///
    /// ```no_run
    /// # async fn run(client: sms_api::Client) -> Result<(), sms_api::Error> {
    /// use sms_api::ListTasksExt;
    ///
    /// let page = client.list_tasks().limit(50).fetch().await?;
    /// println!("{} tasks in all", page.count.unwrap_or_default());
    /// # Ok(())
    /// # }
    /// ```
    fn fetch(self) -> impl Future<Output = Result<ResponseValue<ListTasksResponse>, Error>> + Send;
}

impl ListTasksExt for ListTasks<'_> {
    async fn fetch(self) -> Result<ResponseValue<ListTasksResponse>, Error> {
        let record = Arc::new(Mutex::new(CallRecord::default()));
        let result = CALL.scope(record.clone(), self.send()).await;
        result.map_err(|error| Error::from_call(error, call_record::take(&record), "list_tasks"))
    }
}
