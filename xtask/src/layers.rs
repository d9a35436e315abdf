//! The runtime's imports run one way: the modules of `sms-api/src` in layers, each importing
//! only the layers below it, but for at most [`MAX_UPWARD`] files that say why in their header;
//! and no two files, nor any ring of files, import each other.
//!
//! Imports are read from the code (doc comments and a file's `#[cfg(test)]` module are not
//! imports): `crate::a::b` paths, grouped `use crate::{a, b}`, `super::` paths, and the crate
//! root's re-exports (`crate::Error` is `error`'s). `lib.rs` (the root) and `generated.rs` (the
//! generator's output, included in one place) are not layers: each generated file belongs to the
//! module that re-exports it, and progenitor's `Client` and `ResponseValue` (which the hooks are
//! implemented for, as progenitor requires) are the generated handle every layer is given, like a
//! dependency's type.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first: a module may import those before it.
pub const LAYERS: [&str; 15] = [
    "calendar",
    "clock",
    "types",
    "error",
    "event",
    "telemetry",
    "auth",
    "send",
    "client",
    "paging",
    "wait",
    "invoke",
    "mock",
    "prelude",
    "fuzzing",
];

/// Files allowed to import a higher layer, each saying so in its header.
pub const MAX_UPWARD: usize = 2;

/// What a file's header says when it imports a higher layer.
pub const UPWARD_MARK: &str = "Imports upward:";

/// The crate root's re-exports, by the module that defines them.
const ROOT_EXPORTS: [(&str, &str); 12] = [
    ("Client", "generated"),
    ("ResponseValue", "generated"),
    ("ClientBuilder", "client"),
    ("BuildError", "client"),
    ("Region", "client"),
    ("Credentials", "auth"),
    ("BasicCredentials", "auth"),
    ("GlobalCredentials", "auth"),
    ("CredentialsError", "error"),
    ("Error", "error"),
    ("ErrorKind", "error"),
    ("RetryPolicy", "send"),
];

/// One import: the importing file (relative to `src/`), and the file it names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Import {
    /// `send/attempt.rs`
    pub from: String,
    /// `client/state.rs`
    pub to: String,
}

/// The imports of the runtime, and what breaks the rules.
#[derive(Debug, Default)]
pub struct Report {
    /// Every import between two files.
    pub imports: BTreeSet<Import>,
    /// The imports of a higher layer, by importing file.
    pub upward: BTreeMap<String, BTreeSet<String>>,
    /// Each rule broken, in words.
    pub broken: Vec<String>,
}

/// Reads `src` (the crate's `src/`) and checks its imports.
pub fn check(src: &Path) -> Result<Report, String> {
    let mut files = BTreeMap::new();
    collect(src, src, &mut files)?;
    let known: BTreeSet<String> = files.keys().cloned().collect();
    let mut report = Report::default();
    for (file, text) in &files {
        let module = module_of(file);
        if !LAYERS.contains(&module) {
            continue;
        }
        for to in imports_of(file, &code_of(text), &known) {
            let target = module_of(&to);
            if to == *file || !LAYERS.contains(&target) {
                continue;
            }
            if layer(target) > layer(module) {
                report
                    .upward
                    .entry(file.clone())
                    .or_default()
                    .insert(to.clone());
            }
            report.imports.insert(Import {
                from: file.clone(),
                to,
            });
        }
    }
    if report.upward.len() > MAX_UPWARD {
        report.broken.push(format!(
            "{} files import a higher layer, at most {MAX_UPWARD} may: {}",
            report.upward.len(),
            describe(&report.upward)
        ));
    }
    for file in report.upward.keys() {
        let header: String = files[file]
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .collect();
        if !header.contains(UPWARD_MARK) {
            report.broken.push(format!(
                "{file} imports a higher layer ({}) and its header does not say why (`{UPWARD_MARK}`)",
                report.upward[file].iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    for ring in rings(&report.imports) {
        report
            .broken
            .push(format!("files import each other: {}", ring.join(" -> ")));
    }
    for (file, text) in &files {
        if matches!(file.as_str(), "lib.rs" | "prelude.rs") {
            continue;
        }
        let code = code_of(text);
        for name in ROOT_REEXPORTS {
            if names_root_reexport(&code, name) {
                report.broken.push(format!(
                    "{file} names `crate::{name}`, a re-export of the crate's root: import it from the module that defines it"
                ));
            }
        }
    }
    Ok(report)
}

/// What the crate's root re-exports for its users: the crate's own modules name these where
/// they are defined, so that the layers read true.
const ROOT_REEXPORTS: [&str; 12] = [
    "BasicCredentials",
    "BuildError",
    "Client",
    "ClientBuilder",
    "Credentials",
    "CredentialsError",
    "Error",
    "ErrorKind",
    "GlobalCredentials",
    "Paginator",
    "Region",
    "RetryPolicy",
];

/// Whether `code` names `crate::<name>` (or lists `name` in a `use crate::{..}`).
fn names_root_reexport(code: &str, name: &str) -> bool {
    let whole = |rest: &str| {
        !rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let direct = code
        .match_indices(&format!("crate::{name}"))
        .any(|(at, m)| whole(&code[at + m.len()..]));
    let listed = code.match_indices("crate::{").any(|(at, m)| {
        let list = &code[at + m.len()..];
        let list = &list[..list.find('}').unwrap_or(list.len())];
        list.split(',').any(|n| n.trim() == name)
    });
    direct || listed
}

fn describe(upward: &BTreeMap<String, BTreeSet<String>>) -> String {
    upward
        .iter()
        .map(|(file, to)| {
            format!(
                "{file} -> {}",
                to.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| *l == module)
        .unwrap_or(usize::MAX)
}

/// `send/attempt.rs` -> `send`, `clock.rs` -> `clock`.
fn module_of(file: &str) -> &str {
    let first = file.split('/').next().unwrap_or(file);
    first.strip_suffix(".rs").unwrap_or(first)
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let relative = path
                .strip_prefix(root)
                .map_err(|e| e.to_string())?
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(relative, text);
        }
    }
    Ok(())
}

/// The code of a file: without comments, and without its `#[cfg(test)]` module.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let code = match line.find("//") {
            // A `//` inside a string (a URL) is code; one after code is a comment.
            Some(at) if line[..at].matches('"').count() % 2 == 0 => &line[..at],
            _ => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The files `file` imports.
fn imports_of(file: &str, code: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    // `super` of `a/b.rs` is `a/` (its `mod.rs`); of `a/b/mod.rs`, `a/`; of `a/mod.rs`, the root.
    let parent: Vec<&str> = match file.strip_suffix("/mod.rs") {
        Some(own) => {
            let mut parts: Vec<&str> = own.split('/').collect();
            parts.pop();
            parts
        }
        None => {
            let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
            dir.split('/').filter(|s| !s.is_empty()).collect()
        }
    };
    let mut found = BTreeSet::new();
    for (prefix, base) in [("crate::", &[][..]), ("super::", &parent[..])] {
        for (start, _) in code.match_indices(prefix) {
            let preceded = code[..start].chars().next_back();
            if preceded.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &code[start + prefix.len()..];
            // `use crate::{a, b::C}` names each item of the group.
            let items: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .collect(),
                None => vec![rest],
            };
            for item in items {
                found.extend(resolve(base, &segments(item), known));
            }
        }
    }
    found
}

/// The identifiers of a path: `send::rate_limit::RateLimiter;` -> `[send, rate_limit, RateLimiter]`.
fn segments(text: &str) -> Vec<&str> {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    text[..end].split("::").filter(|s| !s.is_empty()).collect()
}

/// The file a path names, from `base` (the directory `super` is): the longest prefix of it
/// that is a file (`a/b.rs` or `a/b/mod.rs`), else a root re-export's module.
fn resolve(base: &[&str], path: &[&str], known: &BTreeSet<String>) -> Option<String> {
    if base.is_empty()
        && let [name, ..] = path
        && let Some((_, module)) = ROOT_EXPORTS.iter().find(|(n, _)| n == name)
    {
        return [format!("{module}.rs"), format!("{module}/mod.rs")]
            .into_iter()
            .find(|f| known.contains(f));
    }
    let full: Vec<&str> = base.iter().copied().chain(path.iter().copied()).collect();
    (1..=full.len()).rev().find_map(|n| {
        let prefix = full[..n].join("/");
        [format!("{prefix}.rs"), format!("{prefix}/mod.rs")]
            .into_iter()
            .find(|f| known.contains(f))
    })
}

/// Every ring of files importing each other, as a path through it. A `mod.rs` naming its own
/// submodules (declaring and re-exporting them) is the module's face, not a dependency.
fn rings(imports: &BTreeSet<Import>) -> Vec<Vec<String>> {
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for Import { from, to } in imports {
        let face = from
            .strip_suffix("mod.rs")
            .is_some_and(|dir| !dir.is_empty() && to.starts_with(dir));
        if !face {
            graph.entry(from).or_default().push(to);
        }
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for &start in graph.keys() {
        let mut path = vec![start];
        walk(&graph, &mut path, &mut done, &mut found);
        done.insert(start);
    }
    found
}

fn walk<'a>(
    graph: &BTreeMap<&'a str, Vec<&'a str>>,
    path: &mut Vec<&'a str>,
    done: &mut BTreeSet<&'a str>,
    found: &mut Vec<Vec<String>>,
) {
    let Some(&here) = path.last() else { return };
    for &next in graph.get(here).into_iter().flatten() {
        if done.contains(next) {
            continue;
        }
        if next == path[0] {
            let mut ring: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
            ring.push(next.to_owned());
            found.push(ring);
        } else if !path.contains(&next) && next > path[0] {
            path.push(next);
            walk(graph, path, done, found);
            path.pop();
        }
    }
}

#[cfg(test)]
mod root_tests {
    use super::names_root_reexport;

    #[test]
    fn a_root_reexport_is_found_whole_and_in_a_list() {
        assert!(names_root_reexport("use crate::Error;", "Error"));
        assert!(names_root_reexport("fn f() -> crate::Error {}", "Error"));
        assert!(names_root_reexport(
            "use crate::{Client, Credentials};",
            "Credentials"
        ));
        assert!(!names_root_reexport("use crate::error::Error;", "Error"));
        assert!(!names_root_reexport("use crate::ErrorKind;", "Error"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_imports_run_one_way() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sms-api/src");
        let report = check(&src).unwrap();
        assert!(report.imports.len() > 40, "{:?}", report.imports);
        assert!(report.broken.is_empty(), "{}", report.broken.join("\n"));
    }

    #[test]
    fn paths_resolve_to_the_file_that_defines_them() {
        let known: BTreeSet<String> = [
            "send/mod.rs",
            "send/rate_limit.rs",
            "generated.rs",
            "clock.rs",
        ]
        .map(str::to_owned)
        .into();
        let code = "use crate::send::rate_limit::RateLimiter;\nuse crate::{Client, clock::Clock};\nlet x = super::retry::Policy;\n";
        let found = imports_of("send/attempt.rs", code, &known);
        assert_eq!(
            found,
            [
                "generated.rs",
                "clock.rs",
                "send/mod.rs",
                "send/rate_limit.rs"
            ]
            .map(str::to_owned)
            .into()
        );
        // `super` of a nested `mod.rs` is its parent module.
        let known: BTreeSet<String> = ["auth/mod.rs", "auth/temporary.rs", "auth/sources/mod.rs"]
            .map(str::to_owned)
            .into();
        assert_eq!(
            imports_of(
                "auth/sources/mod.rs",
                "use super::temporary::Temporary;",
                &known
            ),
            ["auth/temporary.rs"].map(str::to_owned).into()
        );
        assert_eq!(
            code_of("// use crate::a;\nlet a = 1; // crate::b\n#[cfg(test)]\nuse crate::c;"),
            "let a = 1; \n"
        );
    }

    #[test]
    fn rings_are_found_and_a_module_face_is_not_one() {
        let import = |from: &str, to: &str| Import {
            from: from.into(),
            to: to.into(),
        };
        let imports: BTreeSet<Import> = [
            import("wait/mod.rs", "wait/waiter.rs"),
            import("wait/waiter.rs", "wait/mod.rs"),
            import("a.rs", "b.rs"),
            import("b.rs", "c.rs"),
            import("c.rs", "a.rs"),
        ]
        .into();
        assert_eq!(rings(&imports), [["a.rs", "b.rs", "c.rs", "a.rs"]]);
    }

    #[test]
    fn an_upward_import_is_named_and_needs_its_header_to_say_why() {
        let src = std::env::temp_dir().join(format!("xtask-layers-{}", std::process::id()));
        let write = |file: &str, text: &str| {
            let path = src.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("types/mod.rs", "//! Types.\nuse crate::wait::Text;\n");
        write("wait/mod.rs", "//! Waiting.\npub trait Text {}\n");
        write(
            "clock.rs",
            "//! Time.\n// use crate::wait::Text; (a comment)\n",
        );
        let report = check(&src).unwrap();
        assert_eq!(
            report.upward.keys().collect::<Vec<_>>(),
            ["types/mod.rs"],
            "{report:?}"
        );
        assert_eq!(report.broken.len(), 1, "{:?}", report.broken);
        assert!(
            report.broken[0].contains("does not say why"),
            "{:?}",
            report.broken
        );
        write(
            "types/mod.rs",
            "//! Types.\n//! Imports upward: a reason.\nuse crate::wait::Text;\n",
        );
        assert!(check(&src).unwrap().broken.is_empty());
        let _ = std::fs::remove_dir_all(&src);
    }
}
