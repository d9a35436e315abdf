//! Renders a spec diff for a pull request (Markdown) or for tools (JSON).

use serde_json::json;

use crate::diff::{Change, Noticed};
use crate::semver::{Semver, next_version};

/// What the diff implies for the crate at version `current`: `minor (next version 0.1.1)`.
fn verdict(changes: &[Change], current: &str) -> (Semver, Option<String>) {
    let semver = Semver::largest(changes.iter().map(Change::semver));
    (semver, next_version(current, semver))
}

fn value(v: Option<&str>) -> String {
    match v {
        None => "—".to_owned(),
        Some(text) => format!("`{}`", text.replace('`', "'").replace('\n', " ")),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// How the verdict is reached, said beside it: semver for what changed, and Cargo's reading of
/// versions below 1.0 for the next version.
pub const CONVENTION: &str = "the Rust API verdict is semver's (major: code that compiles may not; minor: additions; patch: the rest), with cargo-semver-checks as the reference; the next version follows Cargo's rule for versions below 1.0, where the minor number is the breaking one: a major change bumps 0.x to 0.(x+1), anything else the patch number";

/// Markdown fit to paste into a pull request: a summary line, what running programs will
/// notice, then breaking, then non-breaking changes.
pub fn markdown(base: &str, head: &str, changes: &[Change], current: &str) -> String {
    let (breaking, compatible): (Vec<&Change>, Vec<&Change>) =
        changes.iter().partition(|c| c.breaking());
    let mut out = format!("### sms-api spec diff: `{base}` → `{head}`\n\n");
    if changes.is_empty() {
        out.push_str("No changes to the spec.\n");
        return out;
    }
    let (semver, next) = verdict(changes, current);
    out.push_str(&format!(
        "**{}, {}. For the Rust crate: {}** (sms-api {current} → {}).\n\n<sub>How: {CONVENTION}.</sub>\n",
        plural(breaking.len(), "breaking change"),
        plural(compatible.len(), "non-breaking change"),
        semver.as_str(),
        next.unwrap_or_else(|| "?".to_owned())
    ));
    let noticed: Vec<(&Change, &Noticed)> = changes
        .iter()
        .filter_map(|c| Some((c, c.noticed.as_ref()?)))
        .collect();
    if !noticed.is_empty() {
        out.push_str("\n#### What running programs will notice\n\n");
        for (change, noticed) in noticed {
            out.push_str(&format!(
                "- **{}** ({}): {}\n",
                change.path,
                noticed.kind.as_str(),
                noticed.says
            ));
        }
    }
    for (title, list) in [("Breaking", &breaking), ("Non-breaking", &compatible)] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!("\n#### {title}\n\n"));
        for c in list.iter() {
            let shown = match (c.old.as_deref(), c.new.as_deref()) {
                (Some(old), Some(new)) if old.len() > LONG || new.len() > LONG => {
                    format!("(was: {}; now: {})", quoted(old), quoted(new))
                }
                (old, new) => format!("(old: {}, new: {})", value(old), value(new)),
            };
            out.push_str(&format!(
                "- **{}**: {} {shown}; on the wire: {}; Rust API: {}\n",
                c.path,
                c.what,
                c.effect.wire.as_str(),
                c.semver().as_str()
            ));
        }
    }
    out
}

/// Text longer than this is quoted as sentences rather than as a code value.
const LONG: usize = 80;

/// Sentences of a changed text, as a quotation (`—` for none).
fn quoted(text: &str) -> String {
    if text.is_empty() {
        "—".to_owned()
    } else {
        format!("“{}”", text.replace('\n', " "))
    }
}

/// GitHub Actions annotations, one per change: an error for a breaking one, a notice otherwise.
pub fn github(changes: &[Change], file: &str) -> String {
    changes
        .iter()
        .map(|c| {
            let level = if c.breaking() { "error" } else { "notice" };
            let title = c.path.replace([',', ':', '\n'], " ");
            let noticed = c
                .noticed
                .as_ref()
                .map(|n| format!(" Running programs notice: {}", n.says.replace('\n', " ")))
                .unwrap_or_default();
            format!(
                "::{level} file={file},title={title}::{} (on the wire: {}; Rust API: {}){noticed}",
                c.what.replace('\n', " "),
                c.effect.wire.as_str(),
                c.semver().as_str()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The same as JSON.
pub fn json(base: &str, head: &str, changes: &[Change], current: &str) -> String {
    let (breaking, compatible): (Vec<&Change>, Vec<&Change>) =
        changes.iter().partition(|c| c.breaking());
    let doc = json!({
        "base": base,
        "head": head,
        "semver": verdict(changes, current).0,
        "version": current,
        "next_version": verdict(changes, current).1,
        "semver_convention": CONVENTION,
        "summary": {"breaking": breaking.len(), "non_breaking": compatible.len()},
        "noticed": changes
            .iter()
            .filter_map(|c| c.noticed.as_ref().map(|n| json!({"path": c.path, "kind": n.kind, "says": n.says})))
            .collect::<Vec<_>>(),
        "breaking": breaking,
        "non_breaking": compatible,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semver::{Effect, Wire};

    fn changes() -> Vec<Change> {
        vec![
            Change {
                effect: Effect::new(Wire::Compatible, Semver::Minor),
                path: "GET /v3/tasks response 200 `tasks[].speed`".into(),
                what: "field added (optional)".into(),
                old: None,
                new: Some("speed".into()),
                noticed: None,
            },
            Change {
                effect: Effect::new(Wire::Compatible, Semver::Major),
                path: "GET /v3/tasks response 200 `tasks[].name`".into(),
                what: "response field removed".into(),
                old: Some("name".into()),
                new: None,
                noticed: None,
            },
        ]
    }

    #[test]
    fn markdown_puts_the_summary_then_breaking_then_non_breaking() {
        let text = markdown("abc123", "working tree", &changes(), "0.1.0");
        let expected = "### sms-api spec diff: `abc123` → `working tree`\n\n\
**1 breaking change, 1 non-breaking change. For the Rust crate: major** (sms-api 0.1.0 → 0.2.0).\n\n\
<sub>How: the Rust API verdict is semver's (major: code that compiles may not; minor: additions; patch: the rest), with cargo-semver-checks as the reference; the next version follows Cargo's rule for versions below 1.0, where the minor number is the breaking one: a major change bumps 0.x to 0.(x+1), anything else the patch number.</sub>\n\n\
#### Breaking\n\n\
- **GET /v3/tasks response 200 `tasks[].name`**: response field removed (old: `name`, new: —); on the wire: compatible; Rust API: major\n\n\
#### Non-breaking\n\n\
- **GET /v3/tasks response 200 `tasks[].speed`**: field added (optional) (old: —, new: `speed`); on the wire: compatible; Rust API: minor\n";
        assert_eq!(text, expected);
        assert_eq!(
            markdown("abc", "new.json", &[], "0.1.0"),
            "### sms-api spec diff: `abc` → `new.json`\n\nNo changes to the spec.\n"
        );
    }

    #[test]
    fn what_programs_notice_comes_first_and_long_texts_read_as_sentences() {
        let noticed = Change {
            effect: Effect::new(Wire::Compatible, Semver::Patch),
            path: "GET /v3/tasks x-pagination".into(),
            what: "the paginator's default page size (the spec's maximum) changed".into(),
            old: Some("200".into()),
            new: Some("500".into()),
            noticed: Some(Noticed {
                kind: crate::diff::Notice::DefaultChanged,
                says: "every listing now asks for 500".into(),
            }),
        };
        let sentences = Change {
            effect: Effect::new(Wire::Unchanged, Semver::Patch),
            path: "p".into(),
            what: "documentation changed".into(),
            old: Some("Fails as soon as one has failed, whatever the other tasks of the listing are doing.".into()),
            new: Some("Fails as soon as one has failed or was stopped, whatever the other tasks of the listing do.".into()),
            noticed: None,
        };
        let text = markdown("a", "b", &[noticed.clone(), sentences], "0.3.0");
        assert!(
            text.contains("#### What running programs will notice\n\n- **GET /v3/tasks x-pagination** (default changed): every listing now asks for 500\n"),
            "{text}"
        );
        assert!(
            text.contains("documentation changed (was: “Fails as soon as one has failed, whatever the other tasks of the listing are doing.”; now: “Fails as soon as one has failed or was stopped, whatever the other tasks of the listing do.”)"),
            "{text}"
        );
        let doc: serde_json::Value =
            serde_json::from_str(&json("a", "b", &[noticed], "0.3.0")).unwrap();
        assert_eq!(doc["noticed"][0]["kind"], "default_changed");
        assert_eq!(
            doc["non_breaking"][0]["noticed"]["says"],
            "every listing now asks for 500"
        );
        assert!(
            doc["semver_convention"]
                .as_str()
                .unwrap()
                .contains("below 1.0")
        );
    }

    #[test]
    fn github_annotations_mark_breaking_changes_as_errors() {
        let text = github(&changes(), "spec/sms.json");
        assert_eq!(
            text,
            "::notice file=spec/sms.json,title=GET /v3/tasks response 200 `tasks[].speed`::field added (optional) (on the wire: compatible; Rust API: minor)\n\
             ::error file=spec/sms.json,title=GET /v3/tasks response 200 `tasks[].name`::response field removed (on the wire: compatible; Rust API: major)"
        );
    }

    #[test]
    fn json_has_the_counts_and_both_lists() {
        let doc: serde_json::Value =
            serde_json::from_str(&json("abc123", "working tree", &changes(), "0.1.0")).unwrap();
        assert_eq!(
            doc["summary"],
            serde_json::json!({"breaking": 1, "non_breaking": 1})
        );
        assert_eq!(
            doc["breaking"][0]["path"],
            "GET /v3/tasks response 200 `tasks[].name`"
        );
        assert_eq!(doc["non_breaking"][0]["new"], "speed");
        assert_eq!(doc["semver"], "major");
        assert_eq!(doc["next_version"], "0.2.0");
    }
}
