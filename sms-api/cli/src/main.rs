//! `sms`: lists SMS migration tasks, one page or every page; waits on them and watches them;
//! shows, starts, stops, restarts and deletes them (`show ID`, `start ID...`...); and has a
//! command for every operation of the spec (`list-servers`, `show-server ID`...,
//! `spec_commands.rs`).
//!
//! With no `--endpoint` or `--region`, it runs against an embedded fake service (the spec's
//! documented examples, then a generated data set of 1,200 tasks and their source servers), so
//! it runs on a fresh machine with no account:
//!
//! ```text
//! sms --all
//! sms list-servers
//! sms --region cn-north-4 --token "$SMS_IAM_TOKEN" --state RUNNING
//! HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... sms --endpoint URL --all --json
//! RUST_LOG=sms_api=debug sms show demo-running
//! ```

mod actions;
mod args;
mod live_view;
mod logging;
mod metrics_export;
mod output;
mod sample_data;
mod spec_commands;
mod waiting;

use std::process::ExitCode;

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use sms_api::invoke::OperationInfo;
use sms_api::mock::{FakeService, GatewayLimit};
use sms_api::prelude::*;

use crate::args::Args;
use crate::output::Output;

/// How the embedded mock's tasks migrate with `--wait-until` or `--watch`: a stage every 2 s,
/// every 7th task failing.
const MOCK_LIFECYCLE: sms_api::mock::Lifecycle = sms_api::mock::Lifecycle {
    step: std::time::Duration::from_secs(2),
    fail_every: 7,
};

/// What the embedded mock adds to each response behind its gateway (`--mock-rate-limit`).
const MOCK_LATENCY: std::time::Duration = std::time::Duration::from_millis(20);

#[tokio::main]
async fn main() -> ExitCode {
    let (args, spec_command) = parse_args();
    if let Err(message) = logging::init(args.verbose) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    match run(args, spec_command).await {
        Ok(code) => code,
        Err(Failure::Setup(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Call(error)) => {
            eprintln!("error: {error}");
            eprintln!(
                "  kind: {:?}, retryable: {}, attempts: {}, requests sent in all: {}",
                error.kind(),
                error.is_retryable(),
                error.attempts(),
                error.requests_sent()
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

/// The arguments, with `--wait-until`'s values (the spec's waiters) listed in `--help`, and the
/// spec's command with its own arguments if one was given.
fn parse_args() -> (Args, Option<(&'static OperationInfo, clap::ArgMatches)>) {
    use clap::{CommandFactory, FromArgMatches};
    let names = waiting::waiter_names();
    let command = Args::command();
    let taken: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    let globals: Vec<String> = command
        .get_arguments()
        .filter(|a| a.is_global_set())
        .filter_map(|a| a.get_long().map(str::to_owned))
        .collect();
    let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
    let globals: Vec<&str> = globals.iter().map(String::as_str).collect();
    let command = command
        .subcommands(spec_commands::commands(&taken, &globals))
        .mut_arg("wait_until", |arg| {
        let listed = names.join(", ");
        let values: Vec<clap::builder::PossibleValue> = names
            .iter()
            .map(|n| clap::builder::PossibleValue::new(n.clone()))
            .collect();
        arg.value_parser(clap::builder::PossibleValuesParser::new(values))
            .long_help(format!(
                "Wait until a waiter of the spec ({listed}) says the tasks the filters select are done, polling \
                 ListTasks (every page). Exit 0 on success (the final tasks printed), {} when a task failed or \
                 was stopped, {} when --max-wait runs out first, {} when no task is listed (deleted, or the \
                 filters select none), 1 when polls kept failing for longer than --max-outage.",
                waiting::EXIT_FAILURE_STATE,
                waiting::EXIT_TIMED_OUT,
                waiting::EXIT_NOT_FOUND
            ))
    });
    let mut matches = command.get_matches();
    let spec_command = match matches.subcommand_name().and_then(spec_commands::operation) {
        Some(operation) => matches
            .remove_subcommand()
            .map(|(_, arguments)| (operation, arguments)),
        None => None,
    };
    let args = Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    (args, spec_command)
}

/// One stderr line when the credentials source starts failing, one when it recovers, one when
/// the clock is corrected to the gateway's: what someone who left the job running must see.
fn report_event(event: &sms_api::event::Event) {
    use sms_api::event::Event;
    match event {
        Event::CredentialsSourceFailing { .. }
        | Event::CredentialsSourceRecovered { .. }
        | Event::ClockSkewCorrected { .. } => eprintln!("warning: {event}"),
        // Refreshes are routine.
        _ => {}
    }
}

async fn run(
    args: Args,
    spec_command: Option<(&'static OperationInfo, clap::ArgMatches)>,
) -> Result<ExitCode, Failure> {
    if let Some(address) = args.metrics {
        metrics_export::serve(address, args.interval).map_err(Failure::Setup)?;
    }
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
            let migrating = args.action.is_none() && (args.wait_until.is_some() || args.watch);
            mock = match args.mock_rate_limit {
                // Waiting and watching show tasks that migrate over time.
                None if migrating => {
                    FakeService::start_migrating(sample_data::tasks(), MOCK_LIFECYCLE).await
                }
                None => FakeService::start(sample_data::tasks()).await,
                Some(per_second) => {
                    let limit = GatewayLimit {
                        per_second: f64::from(per_second.max(1)),
                        burst: per_second.max(1),
                    };
                    FakeService::start_behind_gateway(sample_data::tasks(), MOCK_LATENCY, limit)
                        .await
                }
            };
            eprintln!(
                "no --endpoint or --region given: using an embedded mock (the spec's documented examples, \
                 {} demo tasks to act on ({}), then {} generated tasks)",
                sample_data::DEMO.len(),
                sample_data::DEMO
                    .iter()
                    .map(|(id, _)| *id)
                    .collect::<Vec<_>>()
                    .join(", "),
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
        .compression(!args.no_compression)
        .on_event(report_event)
        .build()
        .map_err(|e| Failure::Setup(setup_error(&e)))?;
    if let Some((operation, arguments)) = spec_command {
        return spec_commands::run(&client, operation, &arguments)
            .await
            .map_err(Failure::Call);
    }
    if let Some(action) = args.action.clone() {
        return Ok(actions::run(&client, action, args.json).await);
    }
    if let Some(warning) = args.state_warning() {
        eprintln!("{warning}");
    }
    let request = args.apply_filters(client.list_tasks());
    let mut output = Output::new(args.json);
    if let Some(waiter) = args.wait_until.clone() {
        let settings = waiting::WaitSettings {
            waiter,
            max_wait: args.max_wait,
            min_delay: args.min_delay,
            max_delay: args.max_delay,
            max_outage: args.max_outage,
        };
        return Ok(waiting::wait_until(request, settings, output).await);
    }
    if args.watch {
        return Ok(waiting::watch(
            request,
            waiting::WatchSettings {
                interval: args.interval,
                look_deadline: args.deadline,
                json: args.json,
                gauges: args.metrics.is_some(),
            },
        )
        .await);
    }

    if !args.all {
        let mut request = request;
        if let Some(limit) = args.limit {
            request = request.limit(limit);
        }
        if let Some(offset) = args.offset {
            request = request.offset(offset);
        }
        let fetched = match args.deadline {
            None => request.fetch().await,
            Some(deadline) => tokio::time::timeout(deadline, request.fetch())
                .await
                .map_err(|_| {
                    Failure::Setup(format!(
                        "the page did not arrive within --deadline {deadline:?}"
                    ))
                })?,
        };
        let page = fetched.map_err(Failure::Call)?.into_inner();
        let tasks = page.tasks.unwrap_or_default();
        output.tasks(&tasks);
        output.summary(tasks.len(), page.count);
        return Ok(ExitCode::SUCCESS);
    }

    let mut paginator = request.paginate();
    if let Some(pages) = args.concurrency {
        paginator = paginator.concurrency(pages);
    }
    if let Some(deadline) = args.deadline {
        paginator = paginator.deadline(deadline);
    }
    if let Some(limit) = args.limit {
        paginator = paginator.page_size(limit.into());
    }
    if let Some(offset) = args.offset {
        paginator = paginator.start(offset.into());
    }
    let mut pages = paginator.by_page();
    // Hidden until the first page gives the total, and styled from its first frame.
    let progress = ProgressBar::hidden().with_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} tasks received {wide_bar} {eta} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let throttling = tokio::spawn(show_throttling(client.clone(), progress.clone()));
    let mut listed = 0;
    let mut count = None;
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(error) => {
                throttling.abort();
                progress.abandon();
                if count.is_some() {
                    output.summary(listed, count);
                }
                return Err(Failure::Call(error));
            }
        };
        if count.is_none() {
            count = page.count;
            progress.set_length(page.count.unwrap_or_default().max(0) as u64);
            progress.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        let tasks = page.tasks.unwrap_or_default();
        listed += tasks.len();
        progress.inc(tasks.len() as u64);
        progress.suspend(|| output.tasks(&tasks));
    }
    throttling.abort();
    progress.finish_and_clear();
    output.summary(listed, count);
    Ok(ExitCode::SUCCESS)
}

/// Says on the progress bar, while listing, when the gateway throttles and at what rate the
/// client now sends.
async fn show_throttling(client: Client, progress: ProgressBar) {
    loop {
        let traffic = client.traffic();
        if let Some(rate) = traffic.rate {
            progress.set_message(format!(
                "(throttled {} times: {rate:.1} requests/s)",
                traffic.throttled
            ));
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// The token if given, else the default chain of the official SDKs; says on stderr where the
/// credentials come from (never a secret).
/// A client that cannot be built, said with this program's flags rather than the library's
/// functions.
fn setup_error(error: &sms_api::BuildError) -> String {
    use sms_api::BuildError;
    match error {
        BuildError::InvalidEndpoint { endpoint, reason } => {
            format!("--endpoint {endpoint:?} is not usable: {reason}")
        }
        BuildError::InsecureEndpoint { endpoint } => format!(
            "--endpoint {endpoint:?} is plain http to a host that is not loopback: credentials would cross the network readable; use https://"
        ),
        BuildError::UnknownRegion(unknown) => format!("--region: {unknown}"),
        other => other.to_string(),
    }
}

fn credentials(token: Option<String>) -> Result<Credentials, Failure> {
    let credentials = match token {
        Some(token) => Credentials::iam_token(token),
        None => Credentials::from_default_chain()
            .map_err(|e| Failure::Setup(format!("{e} (or pass --token)")))?,
    };
    eprintln!("credentials: {}", credentials.source());
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_errors_name_this_programs_flags() {
        let endpoint = sms_api::Client::builder()
            .endpoint("127.0.0.1:8080")
            .credentials(Credentials::iam_token("t"))
            .build()
            .unwrap_err();
        assert_eq!(
            setup_error(&endpoint),
            "--endpoint \"127.0.0.1:8080\" is not usable: it has no scheme: did you mean \"https://127.0.0.1:8080\"?"
        );
        let insecure = sms_api::Client::builder()
            .endpoint("http://sms.example.com")
            .credentials(Credentials::iam_token("t"))
            .build()
            .unwrap_err();
        let text = setup_error(&insecure);
        assert!(
            text.starts_with("--endpoint") && !text.contains("ClientBuilder"),
            "{text}"
        );
    }
}
