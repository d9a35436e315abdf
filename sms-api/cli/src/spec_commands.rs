//! A command for every operation of the spec, made at run time from
//! `sms_api::invoke::operations()` with no code per operation: the operationId in kebab-case
//! (`list-servers`), path parameters positional, query parameters and body fields as
//! `--kebab-case` options (an enum's documented values offered and checked), help from the
//! spec's summaries and descriptions. A paginated operation prints every item of every page as
//! one JSON object a line; any other prints its body as one JSON document (nothing when it has
//! none).
//!
//! Why not progenitor's `Generator::cli`, which makes oxide's: it renders clap code from the
//! OpenAPI document alone, against progenitor's builders and its own output trait, so it knows
//! nothing of `x-pagination` (it would print pages, not every item), of the body setters and
//! path-segment checks our passes add, or of our errors; and it would be a second generator
//! run in a second build script. `sms_api::invoke` is generated with the client from the same
//! model and calls each operation through its typed builder, so a command gets what `fetch()`
//! and `paginate()` get (bounds, signing, retries, typed errors) and any program can use it.

use std::io::Write;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgMatches, Command};
use futures_util::StreamExt;
use sms_api::Client;
use sms_api::invoke::{InputInfo, Invoked, Location, OperationInfo, invoke, operations};

/// The subcommands, one per operation, none named like `taken` (the hand-made ones) and no
/// option like a global one (an input that would be is `--<location>-<name>`).
pub fn commands(taken: &[&str], globals: &[&str]) -> Vec<Command> {
    operations()
        .iter()
        .filter(|operation| !taken.contains(&kebab(operation.id).as_str()))
        .map(|operation| command(operation, globals))
        .collect()
}

/// The operation a subcommand name is, if it is one.
pub fn operation(name: &str) -> Option<&'static OperationInfo> {
    operations().iter().find(|o| kebab(o.id) == name)
}

/// Runs `operation` with the inputs in `matches`, printing what it answered.
pub async fn run(
    client: &Client,
    operation: &OperationInfo,
    matches: &ArgMatches,
) -> Result<ExitCode, sms_api::Error> {
    let given: Vec<(&str, &str)> = operation
        .inputs
        .iter()
        .filter_map(|input| {
            let value = matches.get_one::<String>(input.name)?;
            Some((input.name, value.as_str()))
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match invoke(client, operation.id, &given).await? {
        Invoked::Items(mut items) => {
            while let Some(item) = items.next().await {
                // A closed pipe (`| head`) ends the listing, as it ends any filter.
                if writeln!(out, "{}", item?).is_err() {
                    break;
                }
            }
        }
        Invoked::Document(serde_json::Value::Null) => {}
        Invoked::Document(document) => {
            let _ = writeln!(out, "{document}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The subcommand of `operation`.
fn command(operation: &OperationInfo, globals: &[&str]) -> Command {
    let mut about = format!(
        "{} ({} {})",
        operation.summary, operation.method, operation.path
    );
    if operation.paginated {
        about.push_str(": every item of every page, one JSON object a line");
    }
    let long_about = format!("{about}.\n\n{}", operation.description);
    let mut command = Command::new(kebab(operation.id))
        .about(about)
        .long_about(long_about);
    for input in operation.inputs {
        command = command.arg(argument(input, globals));
    }
    command
}

/// The argument of `input`: positional for a path parameter, else an option.
fn argument(input: &InputInfo, globals: &[&str]) -> Arg {
    let mut arg = Arg::new(input.name).help(input.description);
    arg = match input.location {
        Location::Path => arg.required(true).value_name(input.name.to_uppercase()),
        location => {
            let mut long = kebab(input.name);
            if globals.contains(&long.as_str()) {
                let place = if location == Location::Body {
                    "body"
                } else {
                    "query"
                };
                long = format!("{place}-{long}");
            }
            arg.long(long).required(input.required)
        }
    };
    if !input.values.is_empty() {
        arg = arg.value_parser(PossibleValuesParser::new(input.values.iter().copied()));
    }
    if matches!(input.kind, "integer" | "number") {
        arg = arg.allow_negative_numbers(true);
    }
    arg
}

/// `list_servers` as `list-servers`.
fn kebab(name: &str) -> String {
    name.replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<(String, ArgMatches), clap::Error> {
        let root = Command::new("sms")
            .arg(Arg::new("endpoint").long("endpoint").global(true))
            .subcommands(commands(&["show"], &["endpoint"]));
        let mut matches = root.try_get_matches_from([&["sms"], args].concat())?;
        Ok(matches.remove_subcommand().unwrap())
    }

    #[test]
    fn every_operation_is_a_command_with_its_inputs() {
        let names: Vec<String> = commands(&[], &[])
            .iter()
            .map(|c| c.get_name().to_owned())
            .collect();
        let expected: Vec<String> = operations().iter().map(|o| kebab(o.id)).collect();
        assert_eq!(names, expected);
        assert!(names.contains(&"list-servers".to_owned()));
        let (name, matches) = parse(&["update-task-status", "t-1", "--operation", "stop"]).unwrap();
        assert_eq!(name, "update-task-status");
        assert_eq!(matches.get_one::<String>("task_id").unwrap(), "t-1");
        assert_eq!(matches.get_one::<String>("operation").unwrap(), "stop");
        let (_, matches) =
            parse(&["list-tasks", "--source-server-id", "s-1", "--endpoint", "x"]).unwrap();
        assert_eq!(
            matches.get_one::<String>("source_server_id").unwrap(),
            "s-1"
        );
    }

    #[test]
    fn typos_and_missing_inputs_are_refused_with_the_documented_values() {
        let typo = parse(&["update-task-status", "t-1", "--operation", "stpo"]).unwrap_err();
        assert_eq!(typo.kind(), clap::error::ErrorKind::InvalidValue);
        assert!(
            typo.to_string().contains("[possible values: start, stop"),
            "{typo}"
        );
        let missing = parse(&["update-task-status", "t-1"]).unwrap_err();
        assert_eq!(
            missing.kind(),
            clap::error::ErrorKind::MissingRequiredArgument
        );
        let unknown = parse(&["show-server", "s-1", "--nmae", "x"]).unwrap_err();
        assert_eq!(unknown.kind(), clap::error::ErrorKind::UnknownArgument);
    }
}
