//! Lists SMS migration tasks.
//!
//! With no `--endpoint`, it serves the spec's documented examples from an embedded mock server,
//! so it runs on a fresh machine with no account:
//!
//! ```text
//! cargo run -p sms-api --example list_tasks
//! cargo run -p sms-api --example list_tasks -- --endpoint https://sms.cn-north-4.myhuaweicloud.com --token "$SMS_IAM_TOKEN"
//! ```

use std::process::ExitCode;

use clap::Parser;
use sms_api::types::{TaskState, TasksResponseBody};
use sms_api::{Client, Credentials, DOCUMENTED_EXAMPLES};

/// List Huawei Cloud SMS migration tasks (ListTasks, GET /v3/tasks).
#[derive(Parser, Debug)]
struct Args {
    /// Service endpoint, e.g. https://sms.cn-north-4.myhuaweicloud.com. Without it, an embedded
    /// mock serves the documented examples.
    #[arg(long)]
    endpoint: Option<String>,
    /// IAM user token (X-Auth-Token).
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
    let (endpoint, token) = match args.endpoint {
        Some(endpoint) => {
            let token = args
                .token
                .ok_or("--endpoint needs a token: pass --token or set SMS_IAM_TOKEN")?;
            (endpoint, token)
        }
        None => {
            mock = serve_documented_examples().await;
            eprintln!(
                "no --endpoint given: listing from an embedded mock that serves the spec's documented examples"
            );
            (mock.base_url(), "mock-token".to_owned())
        }
    };
    let client = Client::builder()
        .endpoint(endpoint)
        .credentials(Credentials::iam_token(token))
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
        .send()
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
