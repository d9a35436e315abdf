//! The demo data's links between operations: the source servers ListServers serves follow the
//! tasks (each task's `source_server`, connected, with the task as its `current_task`), so that
//! a task's `source_server.id` is listed and shown, until a test sets servers of its own.

use serde_json::{Value, json};

use crate::types::TasksResponseBody;

/// The source servers of `tasks`, one per distinct `source_server.id`, in the tasks' order.
pub(crate) fn source_servers<'a>(tasks: impl Iterator<Item = &'a TasksResponseBody>) -> Vec<Value> {
    let mut servers: Vec<Value> = Vec::new();
    for task in tasks {
        let Ok(task) = serde_json::to_value(task) else {
            continue;
        };
        let Some(mut server) = task.get("source_server").filter(|s| s.is_object()).cloned() else {
            continue;
        };
        let id = server.get("id").cloned();
        if id.is_none() || servers.iter().any(|s| s.get("id") == id.as_ref()) {
            continue;
        }
        server["connected"] = json!(true);
        server["current_task"] = json!({
            "id": task.get("id"),
            "name": task.get("name"),
            "type": task.get("type"),
            "state": task.get("state"),
        });
        servers.push(server);
    }
    servers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tasks_source_server_is_listed_once_with_the_task() {
        let task = |id: &str, server: Option<&str>| {
            serde_json::from_value::<TasksResponseBody>(json!({
                "id": id, "name": format!("task-{id}"), "state": "RUNNING",
                "source_server": server.map(|s| json!({"id": s, "name": format!("server-{s}")})),
            }))
            .unwrap()
        };
        let tasks = [
            task("t1", Some("s1")),
            task("t2", None),
            task("t3", Some("s1")),
            task("t4", Some("s2")),
        ];
        let servers = source_servers(tasks.iter());
        let ids: Vec<_> = servers.iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["s1", "s2"]);
        assert_eq!(servers[0]["current_task"]["id"], "t1");
        assert_eq!(servers[0]["connected"], true);
        assert_eq!(servers[1]["name"], "server-s2");
    }
}
