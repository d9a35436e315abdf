//! The command line.

use clap::Parser;
use sms_api::builder::ListTasks;
use sms_api::types::TaskState;

/// Huawei Cloud Server Migration Service (SMS): list migration tasks (ListTasks, GET
/// /v3/tasks), wait on them, watch them, and act on them (show, start, stop, restart, delete);
/// and every operation of the spec as a command of its own (list-servers, show-server...).
/// Without --endpoint or --region, everything runs on an embedded fake service.
#[derive(Parser, Debug)]
#[command(name = "sms", version)]
pub struct Args {
    /// Act on tasks instead of listing them.
    #[command(subcommand)]
    pub action: Option<crate::actions::Action>,
    /// Service endpoint, e.g. https://sms.cn-north-4.myhuaweicloud.com. Without it (and without
    /// --region), an embedded mock serves the documented examples and a generated data set.
    #[arg(long, global = true)]
    pub endpoint: Option<String>,
    /// Region, e.g. cn-north-4 (its endpoint comes from the spec, or from
    /// HUAWEICLOUD_SDK_REGION_SMS_<REGION>).
    #[arg(long, global = true, conflicts_with = "endpoint")]
    pub region: Option<String>,
    /// IAM user token (X-Auth-Token). Without it, AK/SK credentials come from
    /// HUAWEICLOUD_SDK_AK/SK (and _PROJECT_ID, _SECURITY_TOKEN) or ~/.huaweicloud/credentials.
    #[arg(long, global = true, env = "SMS_IAM_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Only tasks in this state (READY, RUNNING, SYNCING, MIGRATE_SUCCESS, MIGRATE_FAIL, ...).
    /// An undocumented state is sent as given, with a warning.
    #[arg(long, value_parser = any_state)]
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
    /// Tasks per page, within the spec's bounds for `limit` (the service's default without it;
    /// --all's is the spec's maximum).
    #[arg(long, allow_negative_numbers = true)]
    pub limit: Option<i32>,
    /// Offset of the first task, within the spec's bounds for `offset`.
    #[arg(long, allow_negative_numbers = true)]
    pub offset: Option<i32>,
    /// Every page, with a progress bar on stderr.
    #[arg(long)]
    pub all: bool,
    /// The longest a listing (one page, or every page with --all) or each look of --watch may
    /// take (3s, 1m...): past it, the listing ends with an error that says how far it got and
    /// how many requests it sent (a look of a watch is reported failed, and the watch goes on).
    #[arg(long, value_parser = crate::waiting::parse_duration)]
    pub deadline: Option<std::time::Duration>,
    /// Serve Prometheus text at http://ADDR/metrics while the command runs (e.g.
    /// 127.0.0.1:9464): the client's metrics (calls, attempts by status, retries, throttling,
    /// re-fetches, credentials) and, with --watch, each task's state, subtask progress and
    /// migration rate as gauges.
    #[arg(long, value_name = "ADDR", global = true)]
    pub metrics: Option<std::net::SocketAddr>,
    /// With --all: pages fetched at once after the first, fixed. Without it the listing finds
    /// the number that suits the network by itself (from 8, up to 32; fewer when throttled).
    #[arg(long, requires = "all")]
    pub concurrency: Option<usize>,
    /// Ask for plain responses (by default the client asks for gzip or deflate, and decodes
    /// them: about a tenth of the bytes on the wire).
    #[arg(long)]
    pub no_compression: bool,
    /// Wait until a waiter of the spec says the tasks the filters select are done, polling
    /// ListTasks (every page). Exit 0 on success (the final tasks printed), 3 when a task
    /// failed or was stopped, 4 when --max-wait runs out first, 5 when no task is listed.
    #[arg(long, value_name = "WAITER", conflicts_with_all = ["watch", "all"])]
    pub wait_until: Option<String>,
    /// With --wait-until: the longest wait (200ms, 30s, 5m, 6h, 1h30m).
    #[arg(long, default_value = "6h", value_parser = crate::waiting::parse_duration, requires = "wait_until")]
    pub max_wait: std::time::Duration,
    /// With --wait-until: how long polls may keep failing (service, network or credentials
    /// source down) before the wait gives up with exit 1.
    #[arg(long, default_value = "15m", value_parser = crate::waiting::parse_duration, requires = "wait_until")]
    pub max_outage: std::time::Duration,
    /// With --wait-until: the shortest delay between polls (default: the spec's).
    #[arg(long, value_parser = crate::waiting::parse_duration, requires = "wait_until")]
    pub min_delay: Option<std::time::Duration>,
    /// With --wait-until: the longest delay between polls (default: the spec's).
    #[arg(long, value_parser = crate::waiting::parse_duration, requires = "wait_until")]
    pub max_delay: Option<std::time::Duration>,
    /// Watch every task the filters select: one line per change (or, with --json, one object
    /// with id, state, previous_state and the progress fields that changed), until Ctrl-C.
    #[arg(long, conflicts_with = "all")]
    pub watch: bool,
    /// With --watch: the time between looks (200ms, 30s, 5m...).
    #[arg(long, default_value = "30s", value_parser = crate::waiting::parse_duration, requires = "watch")]
    pub interval: std::time::Duration,
    /// One JSON object per task and line, instead of a table (for an action: one per ID).
    #[arg(long, global = true)]
    pub json: bool,
    /// Log the client's work on stderr: -v each call and attempt (with their OpenTelemetry
    /// attributes), -vv more. RUST_LOG, when set, decides instead (e.g. sms_api=debug).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// With the embedded mock: put it behind an API gateway that admits this many requests per
    /// second (bursts of the same) and throttles the rest with 429 APIG.0308, as Huawei
    /// Cloud's does, to watch the client adapt its rate.
    #[arg(long, conflicts_with_all = ["endpoint", "region"])]
    pub mock_rate_limit: Option<u32>,
}

/// A `--state`: a documented one, or, deliberately, any other (the service may know states the
/// spec does not); `state_warning` says so.
fn any_state(text: &str) -> Result<TaskState, std::convert::Infallible> {
    Ok(TaskState::from_wire(text))
}

impl Args {
    /// The request with every filter given on the command line (not `--limit` and `--offset`,
    /// which set the one page, or the paginator's page size and start).
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
        request
    }

    /// A warning for a `--state` the spec does not document: it is sent all the same (the
    /// service may know states the spec does not), but it is most likely a typo.
    pub fn state_warning(&self) -> Option<String> {
        let Some(TaskState::UnknownValue(given)) = &self.state else {
            return None;
        };
        let refused = given.value().parse::<TaskState>().err()?;
        let near = refused
            .closest()
            .map(|d| format!(" (did you mean {d}?)"))
            .unwrap_or_default();
        Some(format!(
            "warning: {:?} is not a documented task state{near}; sending it as given. Documented states: {}",
            refused.value(),
            refused.documented().join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Args {
        Args::try_parse_from([&["sms"], args].concat()).unwrap()
    }

    #[test]
    fn undocumented_states_are_sent_with_a_warning() {
        assert_eq!(parse(&["--state", "RUNNING"]).state_warning(), None);
        let warning = parse(&["--state", "running"]).state_warning().unwrap();
        assert!(
            warning.starts_with(
                "warning: \"running\" is not a documented task state (did you mean RUNNING?); sending it as given."
            ),
            "{warning}"
        );
        let warning = parse(&["--state", "NOPE"]).state_warning().unwrap();
        assert!(
            warning.contains("not a documented task state; sending"),
            "{warning}"
        );
        assert!(warning.contains("READY, RUNNING"), "{warning}");
    }

    #[test]
    fn negative_numbers_are_values_for_the_range_check() {
        let args = parse(&["--offset", "-1", "--limit", "-5"]);
        assert_eq!((args.offset, args.limit), (Some(-1), Some(-5)));
    }
}
