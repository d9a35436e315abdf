//! Extra methods on the generated ListTasks builder.

use std::future::Future;

use crate::builder::ListTasks;
use crate::call_record::{self, CallRecord};
use crate::types::ListTasksResponse;
use crate::{Error, Paginator, ResponseValue};

/// The spec's operationId of ListTasks, as progenitor passes it to the hooks; it keys the
/// tables build.rs derives from the spec (parameter bounds).
pub(crate) const LIST_TASKS: &str = "list_tasks";

/// Extra methods on [`builder::ListTasks`](crate::builder::ListTasks), the builder that
/// `client.list_tasks()` returns.
pub trait ListTasksExt<'a> {
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

    /// Pages through every matching task, as a stream of pages or of tasks; see [`Paginator`].
    ///
    /// ```no_run
    /// # async fn run(client: sms_api::Client) -> Result<(), sms_api::Error> {
    /// use futures_util::TryStreamExt;
    /// use sms_api::ListTasksExt;
    ///
    /// let pages: Vec<_> = client.list_tasks().limit(100).paginate().concurrency(2).by_page().try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    fn paginate(self) -> Paginator<'a>;
}

impl<'a> ListTasksExt<'a> for ListTasks<'a> {
    async fn fetch(self) -> Result<ResponseValue<ListTasksResponse>, Error> {
        let (result, record) = call_record::recorded(CallRecord::default(), self.send()).await;
        result.map_err(|error| Error::from_call(error, record, LIST_TASKS))
    }

    fn paginate(self) -> Paginator<'a> {
        Paginator::new(self)
    }
}
