//! Lists SMS migration tasks.
//!
//! With no `--endpoint`, it serves the spec's documented examples from an embedded mock server,
//! so it runs on a fresh machine with no account:
//!
//! ```text
//! cargo run -p sms-api --example list_tasks
//! cargo run -p sms-api --example list_tasks -- --region cn-north-4 --token "$SMS_IAM_TOKEN"
//! HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... cargo run -p sms-api --example list_tasks -- --endpoint URL
//! ```
//!
//! Credentials: `--token` (or `SMS_IAM_TOKEN`), else the chain of the official SDKs
//! (`HUAWEICLOUD_SDK_AK`/`_SK`/`_PROJECT_ID`/`_SECURITY_TOKEN`, then `~/.huaweicloud/credentials`).

use std::process::ExitCode;

use clap::Parser;
use sms_api::types::{TaskState, TasksResponseBody};
use sms_api::{Client, Credentials, DOCUMENTED_EXAMPLES, ListTasksExt};

/// List Huawei Cloud SMS migration tasks (ListTasks, GET /v3/tasks).
#[derive(Parser, Debug)]
struct Args {
    /// Service endpoint, e.g. https://sms.cn-north-4.myhuaweicloud.com. Without it (and without
    /// --region), an embedded mock serves the documented examples.
    #[arg(long)]
    endpoint: Option<String>,
    /// Region, e.g. cn-north-4 (its endpoint comes from the spec, or from
    /// HUAWEICLOUD_SDK_REGION_SMS_<REGION>).
    #[arg(long, conflicts_with = "endpoint")]
    region: Option<String>,
    /// IAM user token (X-Auth-Token). Without it, AK/SK credentials come from the environment or
    /// ~/.huaweicloud/credentials.
    #[arg(long, env = "SMS_IAM_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Only tasks in this state (READY, RUNNING, MIGRATE_SUCCESS, ...).
    #[arg(long)]
    state: Option<TaskState>,
    /// Number of tasks on the page (0-200).
    #[arg(long)]
    limit: Option<i32>,
    /// Offset of the first task (0-65535).
    #[arg(long)]
    offset: Option<i32>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    // Kept alive until the listing is done.
    let mock;
    let (builder, credentials) = match (args.endpoint, args.region) {
        (Some(endpoint), _) => (
            Client::builder().endpoint(endpoint),
            credentials(args.token)?,
        ),
        (None, Some(region)) => (Client::builder().region(region), credentials(args.token)?),
        (None, None) => {
            mock = serve_documented_examples().await;
            eprintln!(
                "no --endpoint or --region given: listing from an embedded mock that serves the spec's documented examples"
            );
            (
                Client::builder().endpoint(mock.base_url()),
                Credentials::iam_token("mock-token"),
            )
        }
    };
    let client = builder
        .credentials(credentials)
        .build()
        .map_err(|e| e.to_string())?;

    let mut request = client.list_tasks();
    if let Some(state) = args.state {
        request = request.state(state);
    }
    if let Some(limit) = args.limit {
        request = request.limit(limit);
    }
    if let Some(offset) = args.offset {
        request = request.offset(offset);
    }
    let page = request
        .fetch()
        .await
        .map_err(|e| e.to_string())?
        .into_inner();
    let tasks = page.tasks.unwrap_or_default();
    print_table(&tasks);
    println!(
        "{} of {} tasks",
        tasks.len(),
        page.count.unwrap_or_default()
    );
    Ok(())
}

/// The token if given, else the chain of the official SDKs.
fn credentials(token: Option<String>) -> Result<Credentials, String> {
    match token {
        Some(token) => Ok(Credentials::iam_token(token)),
        None => Credentials::from_default_chain().map_err(|e| format!("{e} (or pass --token)")),
    }
}

/// A mock SMS endpoint answering `GET /v3/tasks` with the spec's documented 200 example.
async fn serve_documented_examples() -> httpmock::MockServer {
    let server = httpmock::MockServer::start_async().await;
    let ok = DOCUMENTED_EXAMPLES
        .iter()
        .find(|e| e.operation_id == "list_tasks" && e.status == 200)
        .map_or("{}", |e| e.json);
    server
        .mock_async(|when, then| {
            when.method(httpmock::Method::GET).path("/v3/tasks");
            then.status(200)
                .header("content-type", "application/json")
                .header("x-request-id", "mock-request")
                .body(ok);
        })
        .await;
    server
}

fn print_table(tasks: &[TasksResponseBody]) {
    let rows: Vec<[String; 6]> = tasks
        .iter()
        .map(|t| {
            [
                t.id.clone().unwrap_or_default(),
                t.name.clone().unwrap_or_default(),
                shown(t.type_.as_ref()),
                shown(t.os_type.as_ref()),
                shown(t.state.as_ref()),
                t.create_date.map(date).unwrap_or_default(),
            ]
        })
        .collect();
    let header = ["ID", "NAME", "TYPE", "OS", "STATE", "CREATED"].map(str::to_owned);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:width$}"))
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
}

fn shown<T: std::fmt::Display>(value: Option<&T>) -> String {
    value.map(ToString::to_string).unwrap_or_default()
}

/// Milliseconds since the Unix epoch as a UTC date, `YYYY-MM-DD` (Howard Hinnant's algorithm).
fn date(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
