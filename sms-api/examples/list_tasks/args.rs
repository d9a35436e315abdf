//! The command line.

use clap::Parser;
use sms_api::builder::ListTasks;
use sms_api::types::TaskState;

/// List Huawei Cloud SMS migration tasks (ListTasks, GET /v3/tasks).
#[derive(Parser, Debug)]
#[command(name = "list_tasks")]
pub struct Args {
    /// Service endpoint, e.g. https://sms.cn-north-4.myhuaweicloud.com. Without it (and without
    /// --region), an embedded mock serves the documented examples and a generated data set.
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Region, e.g. cn-north-4 (its endpoint comes from the spec, or from
    /// HUAWEICLOUD_SDK_REGION_SMS_<REGION>).
    #[arg(long, conflicts_with = "endpoint")]
    pub region: Option<String>,
    /// IAM user token (X-Auth-Token). Without it, AK/SK credentials come from
    /// HUAWEICLOUD_SDK_AK/SK (and _PROJECT_ID, _SECURITY_TOKEN) or ~/.huaweicloud/credentials.
    #[arg(long, env = "SMS_IAM_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Only tasks in this state (READY, RUNNING, SYNCING, MIGRATE_SUCCESS, MIGRATE_FAIL, ...).
    #[arg(long)]
    pub state: Option<TaskState>,
    /// Only tasks with this name.
    #[arg(long)]
    pub name: Option<String>,
    /// Only the task with this ID.
    #[arg(long)]
    pub id: Option<String>,
    /// Only tasks of this source server.
    #[arg(long)]
    pub source_server_id: Option<String>,
    /// Only tasks of this enterprise project.
    #[arg(long)]
    pub enterprise_project_id: Option<String>,
    /// Tasks per page (0-200; the service's default is 100, --all's is 200).
    #[arg(long)]
    pub limit: Option<i32>,
    /// Offset of the first task (0-65535).
    #[arg(long)]
    pub offset: Option<i32>,
    /// Every page, with a progress bar on stderr.
    #[arg(long)]
    pub all: bool,
    /// With --all: pages fetched at once after the first.
    #[arg(long, default_value_t = sms_api::paging::DEFAULT_CONCURRENCY, requires = "all")]
    pub concurrency: usize,
    /// One JSON object per task and line, instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl Args {
    /// The request with every filter given on the command line.
    pub fn apply_filters<'a>(&self, mut request: ListTasks<'a>) -> ListTasks<'a> {
        if let Some(state) = &self.state {
            request = request.state(state.clone());
        }
        if let Some(name) = &self.name {
            request = request.name(name.as_str());
        }
        if let Some(id) = &self.id {
            request = request.id(id.as_str());
        }
        if let Some(id) = &self.source_server_id {
            request = request.source_server_id(id.as_str());
        }
        if let Some(id) = &self.enterprise_project_id {
            request = request.enterprise_project_id(id.as_str());
        }
        if let Some(limit) = self.limit {
            request = request.limit(limit);
        }
        if let Some(offset) = self.offset {
            request = request.offset(offset);
        }
        request
    }
}
