//! The one import for calling the API: `use sms_api::prelude::*;` brings the extension traits
//! that give every operation's builder [`fetch()`](FetchExt::fetch) and every paginated one
//! [`paginate()`](PaginateExt::paginate), and the types nearly every caller names.
//!
//! ```no_run
//! use sms_api::prelude::*;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder()
//!     .region("cn-north-4")
//!     .credentials(Credentials::from_default_chain()?)
//!     .build()?;
//! let page = client.list_tasks().limit(10).fetch().await?;
//! println!("{:?} tasks", page.count);
//! # Ok(())
//! # }
//! ```

/// Every waiter of the spec, as `wait_until_<name>()` on its operation's builder.
pub use crate::generated::waiters::*;
pub use crate::paging::PaginateExt;
pub use crate::send::FetchExt;
pub use crate::wait::WatchExt;
pub use crate::{Client, Credentials, Error, ErrorKind};
