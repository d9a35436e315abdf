//! `list_tasks`: lists SMS migration tasks, one page or every page.
//!
//! With no `--endpoint` or `--region`, it lists from an embedded mock (the spec's documented
//! examples, then a generated data set of 1,200 tasks), so it runs on a fresh machine with no
//! account:
//!
//! ```text
//! cargo run -p sms-api --example list_tasks -- --all
//! cargo run -p sms-api --example list_tasks -- --region cn-north-4 --token "$SMS_IAM_TOKEN" --state RUNNING
//! HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... cargo run -p sms-api --example list_tasks -- --endpoint URL --all --json
//! ```

mod args;
mod output;
mod sample_data;

use std::process::ExitCode;

use clap::Parser;
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use sms_api::mock::FakeService;
use sms_api::prelude::*;

use crate::args::Args;
use crate::output::Output;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Setup(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Call(error)) => {
            eprintln!("error: {error}");
            eprintln!(
                "  kind: {:?}, retryable: {}, attempts: {}",
                error.kind(),
                error.is_retryable(),
                error.attempts()
            );
            if let Some(body) = error.error_response().and_then(|b| b.error_param.as_ref()) {
                eprintln!("  error_param: {body:?}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Why the command failed: its setup (arguments, credentials), or the call.
enum Failure {
    Setup(String),
    Call(Error),
}

async fn run(args: Args) -> Result<(), Failure> {
    // Kept alive until the listing is done.
    let mock;
    let (builder, credentials) = match (&args.endpoint, &args.region) {
        (Some(endpoint), _) => (
            Client::builder().endpoint(endpoint),
            credentials(args.token.clone())?,
        ),
        (None, Some(region)) => (
            Client::builder().region(region),
            credentials(args.token.clone())?,
        ),
        (None, None) => {
            mock = FakeService::start(sample_data::tasks()).await;
            eprintln!(
                "no --endpoint or --region given: listing from an embedded mock (the spec's documented examples, \
                 then {} generated tasks)",
                sample_data::GENERATED
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
        .map_err(|e| Failure::Setup(e.to_string()))?;
    let request = args.apply_filters(client.list_tasks());
    let mut output = Output::new(args.json);

    if !args.all {
        let page = request.fetch().await.map_err(Failure::Call)?.into_inner();
        let tasks = page.tasks.unwrap_or_default();
        output.tasks(&tasks);
        output.summary(tasks.len(), page.count);
        return Ok(());
    }

    let mut pages = request.paginate().concurrency(args.concurrency).by_page();
    let progress = ProgressBar::hidden();
    let mut listed = 0;
    let mut count = None;
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(error) => {
                progress.abandon();
                if count.is_some() {
                    output.summary(listed, count);
                }
                return Err(Failure::Call(error));
            }
        };
        if count.is_none() {
            count = page.count;
            progress.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            progress.set_length(page.count.unwrap_or_default().max(0) as u64);
            progress.set_style(
                ProgressStyle::with_template(
                    "{spinner} {pos}/{len} tasks received {wide_bar} {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
        }
        let tasks = page.tasks.unwrap_or_default();
        listed += tasks.len();
        progress.inc(tasks.len() as u64);
        progress.suspend(|| output.tasks(&tasks));
    }
    progress.finish_and_clear();
    output.summary(listed, count);
    Ok(())
}

/// The token if given, else the chain of the official SDKs.
fn credentials(token: Option<String>) -> Result<Credentials, Failure> {
    match token {
        Some(token) => Ok(Credentials::iam_token(token)),
        None => Credentials::from_default_chain()
            .map_err(|e| Failure::Setup(format!("{e} (or pass --token)"))),
    }
}
