//! The gauges a watch over a changing fleet sets, read through a recorder that keeps every set.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use metrics::{
    Counter, Gauge, GaugeFn, Histogram, Key, KeyName, Metadata, Recorder, SharedString, Unit,
};

use super::*;
use crate::types::TaskState;

/// Every gauge set, in order: its name, its labels, its value.
type Sets = Arc<Mutex<Vec<(String, BTreeMap<String, String>, f64)>>>;

struct Recording(Sets);

struct Set(Sets, Key);

impl GaugeFn for Set {
    fn increment(&self, _: f64) {}
    fn decrement(&self, _: f64) {}
    fn set(&self, value: f64) {
        let labels = self
            .1
            .labels()
            .map(|l| (l.key().to_owned(), l.value().to_owned()))
            .collect();
        let name = self.1.name().to_owned();
        self.0.lock().unwrap().push((name, labels, value));
    }
}

impl Recorder for Recording {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, _: &Key, _: &Metadata<'_>) -> Counter {
        Counter::noop()
    }
    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::from_arc(Arc::new(Set(self.0.clone(), key.clone())))
    }
    fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::noop()
    }
}

fn task(name: &str, state: TaskState) -> TasksResponseBody {
    let subtask = crate::types::SubTaskAssociatedWithTask {
        name: Some("MIGRATE_LINUX_FILE".into()),
        progress: Some(40),
        ..Default::default()
    };
    TasksResponseBody {
        name: Some(name.into()),
        state: Some(state),
        migrate_speed: Some(12.5),
        sub_tasks: Some(vec![subtask]),
        ..Default::default()
    }
}

fn appeared(key: &str, state: TaskState) -> WatchEvent<TasksResponseBody> {
    WatchEvent::Appeared {
        key: key.into(),
        item: task(key, state),
    }
}

fn looked(items: usize) -> WatchEvent<TasksResponseBody> {
    WatchEvent::Looked { number: 2, items }
}

/// The tasks whose series `events` set (to any value) after the first `skip` sets.
fn tasks_set(sets: &Sets, skip: usize) -> Vec<String> {
    let mut tasks: Vec<String> = sets.lock().unwrap()[skip..]
        .iter()
        .filter_map(|(_, labels, _)| labels.get("task_id").cloned())
        .collect();
    tasks.sort();
    tasks.dedup();
    tasks
}

#[test]
fn a_task_that_left_is_set_no_more_and_its_state_reads_zero() {
    let sets = Sets::default();
    let recorder = Recording(sets.clone());
    metrics::with_local_recorder(&recorder, || {
        let mut gauges = TaskGauges::default();
        gauges.record(&appeared("a", TaskState::Running));
        gauges.record(&appeared("b", TaskState::Running));
        gauges.record(&looked(2));
        assert_eq!(gauges.tasks(), 2);
        let before = sets.lock().unwrap().len();
        gauges.record(&WatchEvent::Disappeared {
            key: "b".into(),
            last: Default::default(),
        });
        assert_eq!(gauges.tasks(), 1, "bounded by the tasks listed");
        let zeroed = sets.lock().unwrap()[before].clone();
        assert_eq!((zeroed.0.as_str(), zeroed.2), (TASK_STATE, 0.0));
        assert_eq!(zeroed.1["task_id"], "b");
        let after_leaving = sets.lock().unwrap().len();
        gauges.record(&looked(1));
        // Every look sets the listed tasks' gauges again, and only theirs: an exporter's idle
        // timeout expires the rest.
        assert_eq!(tasks_set(&sets, after_leaving), ["a"]);
        let again = &sets.lock().unwrap()[after_leaving..];
        let names: Vec<&str> = again.iter().map(|(n, ..)| n.as_str()).collect();
        assert!(names.contains(&SUBTASK_PROGRESS) && names.contains(&MIGRATE_SPEED));
        assert!(names.contains(&WATCHED_TASKS), "{names:?}");
    });
}

#[test]
fn a_state_left_reads_zero_and_the_new_one_one() {
    let sets = Sets::default();
    let recorder = Recording(sets.clone());
    metrics::with_local_recorder(&recorder, || {
        let mut gauges = TaskGauges::default();
        gauges.record(&appeared("a", TaskState::Running));
        let before = sets.lock().unwrap().len();
        gauges.record(&WatchEvent::Changed {
            key: "a".into(),
            item: task("a", TaskState::MigrateSuccess),
            changes: Vec::new(),
        });
        let states: Vec<(String, f64)> = sets.lock().unwrap()[before..]
            .iter()
            .filter(|(name, ..)| name == TASK_STATE)
            .map(|(_, labels, value)| (labels["state"].clone(), *value))
            .collect();
        assert_eq!(
            states,
            [
                ("RUNNING".to_owned(), 0.0),
                ("MIGRATE_SUCCESS".to_owned(), 1.0)
            ]
        );
        let before = sets.lock().unwrap().len();
        gauges.record(&looked(1));
        let states: Vec<String> = sets.lock().unwrap()[before..]
            .iter()
            .filter(|(name, ..)| name == TASK_STATE)
            .map(|(_, labels, _)| labels["state"].clone())
            .collect();
        assert_eq!(states, ["MIGRATE_SUCCESS"], "the state left is set no more");
    });
}
