//! Printing tasks: an aligned table, or one JSON object per line; both stream page by page.

use std::io::Write;

use sms_api::types::TasksResponseBody;

/// Column titles and widths; longer values are cut with `…` so that rows stream aligned.
const COLUMNS: [(&str, usize); 8] = [
    ("ID", 36),
    ("NAME", 24),
    ("TYPE", 13),
    ("OS", 7),
    ("STATE", 23),
    ("PROGRESS", 8),
    ("CREATED", 10),
    ("SPEED", 11),
];

/// Where tasks go.
pub struct Output {
    json: bool,
    header_done: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Output {
            json,
            header_done: false,
        }
    }

    /// Prints a page of tasks.
    pub fn tasks(&mut self, tasks: &[TasksResponseBody]) {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        if self.json {
            for task in tasks {
                let line = serde_json::to_string(task)
                    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
                let _ = writeln!(out, "{line}");
            }
            return;
        }
        if !self.header_done {
            let _ = writeln!(out, "{}", row(COLUMNS.map(|(title, _)| title.to_owned())));
            self.header_done = true;
        }
        for task in tasks {
            let _ = writeln!(out, "{}", row(cells(task)));
        }
    }

    /// The closing line, on stderr so that stdout stays data.
    pub fn summary(&self, listed: usize, count: Option<i32>) {
        match count {
            Some(count) => eprintln!("{listed} of {count} matching tasks listed"),
            None => eprintln!("{listed} tasks listed"),
        }
    }
}

fn cells(task: &TasksResponseBody) -> [String; 8] {
    let shown = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
    [
        shown(task.id.clone()),
        shown(task.name.clone()),
        shown(task.type_.as_ref().map(ToString::to_string)),
        shown(task.os_type.as_ref().map(ToString::to_string)),
        shown(task.state.as_ref().map(ToString::to_string)),
        shown(progress(task).map(|p| format!("{p}%"))),
        shown(task.create_date.map(date)),
        shown(task.migrate_speed.map(|s| format!("{s:.1} MB/s"))),
    ]
}

/// The progress of the subtask under way (the last one started), or 100 when all ended.
fn progress(task: &TasksResponseBody) -> Option<i32> {
    let subtasks = task.sub_tasks.as_ref()?;
    match subtasks
        .iter()
        .rev()
        .find(|s| s.start_date.is_some() && s.end_date.is_none())
    {
        Some(current) => current.progress,
        None if !subtasks.is_empty() && subtasks.iter().all(|s| s.end_date.is_some()) => Some(100),
        None => None,
    }
}

fn row(cells: [String; 8]) -> String {
    let line: Vec<String> = cells
        .iter()
        .zip(COLUMNS)
        .map(|(cell, (_, width))| {
            let cut: String = if cell.chars().count() > width {
                cell.chars().take(width - 1).chain(['…']).collect()
            } else {
                cell.clone()
            };
            format!("{cut:width$}")
        })
        .collect();
    line.join("  ").trim_end().to_owned()
}

/// Milliseconds since the Unix epoch as a UTC date, `YYYY-MM-DD` (Howard Hinnant's algorithm).
pub fn date(millis: i64) -> String {
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
