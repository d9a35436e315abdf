//! Renders a spec diff for a pull request (Markdown) or for tools (JSON).

use serde_json::json;

use crate::diff::Change;
use crate::semver::{Semver, next_version};

/// What the diff implies for the crate at version `current`: `minor (next version 0.1.1)`.
fn verdict(changes: &[Change], current: &str) -> (Semver, Option<String>) {
    let semver = Semver::overall(changes);
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

/// Markdown fit to paste into a pull request: a summary line, then breaking, then non-breaking.
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
        "**{}, {}. For the Rust crate: {}** (sms-api {current} → {}).\n",
        plural(breaking.len(), "breaking change"),
        plural(compatible.len(), "non-breaking change"),
        semver.as_str(),
        next.unwrap_or_else(|| "?".to_owned())
    ));
    for (title, list) in [("Breaking", &breaking), ("Non-breaking", &compatible)] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!("\n#### {title}\n\n"));
        for c in list.iter() {
            let shown = match (c.old.as_deref(), c.new.as_deref()) {
                (Some(old), Some(new)) if old.len() > LONG || new.len() > LONG => {
                    format!("({})", word_diff(old, new))
                }
                (old, new) => format!("(old: {}, new: {})", value(old), value(new)),
            };
            out.push_str(&format!(
                "- **{}**: {} {shown}; on the wire: {}; Rust API: {}\n",
                c.path,
                c.what,
                c.effect.wire.as_str(),
                Semver::of(c).as_str()
            ));
        }
    }
    out
}

/// Text longer than this is shown as a word-level diff rather than whole.
const LONG: usize = 80;

/// The words that differ between two texts, with a little context: `… ready - ~~'ABORT':~~
/// **'PAUSED':** aborted …`.
fn word_diff(old: &str, new: &str) -> String {
    let (old, new): (Vec<&str>, Vec<&str>) = (
        old.split_whitespace().collect(),
        new.split_whitespace().collect(),
    );
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let clean = |words: &[&str]| words.join(" ").replace('`', "'");
    let before = &old[prefix.saturating_sub(3)..prefix];
    let after = &old[old.len() - suffix..(old.len() - suffix + 3).min(old.len())];
    let mut parts = Vec::new();
    if prefix > before.len() {
        parts.push("…".to_owned());
    }
    if !before.is_empty() {
        parts.push(clean(before));
    }
    let removed = &old[prefix..old.len() - suffix];
    let added = &new[prefix..new.len() - suffix];
    if !removed.is_empty() {
        parts.push(format!("~~{}~~", clean(removed)));
    }
    if !added.is_empty() {
        parts.push(format!("**{}**", clean(added)));
    }
    if !after.is_empty() {
        parts.push(clean(after));
    }
    if suffix > after.len() {
        parts.push("…".to_owned());
    }
    parts.join(" ")
}

/// GitHub Actions annotations, one per change: an error for a breaking one, a notice otherwise.
pub fn github(changes: &[Change], file: &str) -> String {
    changes
        .iter()
        .map(|c| {
            let level = if c.breaking() { "error" } else { "notice" };
            let title = c.path.replace([',', ':', '\n'], " ");
            format!(
                "::{level} file={file},title={title}::{} (on the wire: {}; Rust API: {})",
                c.what.replace('\n', " "),
                c.effect.wire.as_str(),
                Semver::of(c).as_str()
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
        "summary": {"breaking": breaking.len(), "non_breaking": compatible.len()},
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
            },
            Change {
                effect: Effect::new(Wire::Compatible, Semver::Major),
                path: "GET /v3/tasks response 200 `tasks[].name`".into(),
                what: "response field removed".into(),
                old: Some("name".into()),
                new: None,
            },
        ]
    }

    #[test]
    fn markdown_puts_the_summary_then_breaking_then_non_breaking() {
        let text = markdown("abc123", "working tree", &changes(), "0.1.0");
        let expected = "### sms-api spec diff: `abc123` → `working tree`\n\n\
**1 breaking change, 1 non-breaking change. For the Rust crate: major** (sms-api 0.1.0 → 0.2.0).\n\n\
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
    fn long_texts_show_only_the_words_that_changed() {
        let old = "State of a migration task. Documented values: - `READY`: ready - `RUNNING`: migrating - `ABORT`: aborted";
        let new = "State of a migration task. Documented values: - `READY`: ready - `RUNNING`: migrating - `ABORT`: aborted - `PAUSED`: paused";
        assert_eq!(
            word_diff(old, new),
            "… - 'ABORT': aborted **- 'PAUSED': paused**"
        );
        assert_eq!(
            word_diff("a b c d e f g h", "a b c X e f g h"),
            "a b c ~~d~~ **X** e f g …"
        );
        let change = Change {
            effect: Effect::new(Wire::Unchanged, Semver::Patch),
            path: "p".into(),
            what: "description changed".into(),
            old: Some(old.into()),
            new: Some(new.into()),
        };
        let text = markdown("a", "b", &[change], "0.1.0");
        assert!(
            text.contains(
                "description changed (… - 'ABORT': aborted **- 'PAUSED': paused**); on the wire: unchanged; Rust API: patch"
            ),
            "{text}"
        );
    }

    #[test]
    fn github_annotations_mark_breaking_changes_as_errors() {
        let text = github(&changes(), "spec/sms-list-tasks.json");
        assert_eq!(
            text,
            "::notice file=spec/sms-list-tasks.json,title=GET /v3/tasks response 200 `tasks[].speed`::field added (optional) (on the wire: compatible; Rust API: minor)\n\
             ::error file=spec/sms-list-tasks.json,title=GET /v3/tasks response 200 `tasks[].name`::response field removed (on the wire: compatible; Rust API: major)"
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
