//! Realistic tasks for the benchmarks: every one of the 32 fields filled, nested objects and
//! lists included, about 1.5 KB of JSON each. Written as the service sends them (JSON), so that
//! they need no change when the spec adds a field.

use serde_json::json;
use sms_api::types::TasksResponseBody;

/// Task number `i`, every field filled.
pub fn realistic_task(i: usize) -> TasksResponseBody {
    let created = 1_700_000_000_000 + i as i64 * 60_000;
    let subtask = |n: usize, name: &str| {
        json!({
            "id": (i * 10 + n) as i64,
            "name": name,
            "progress": ((i + n) * 13 % 101) as i32,
            "start_date": created + n as i64 * 600_000,
            "end_date": created + n as i64 * 600_000 + 300_000,
            "process_trace": format!("{name}: copied {} GiB of {} GiB, 0 errors, agent 24.3.0", i % 500, 500),
        })
    };
    let task = json!({
        "id": format!("{:08x}-4d1c-4e7a-9b2f-{:012x}", 0x1000_0000 + i, i * 7919),
        "name": format!("migration-web-prod-{i:05}"),
        "type": "MIGRATE_BLOCK",
        "os_type": "LINUX",
        "state": "RUNNING",
        "estimate_complete_time": created + 7_200_000,
        "create_date": created,
        "priority": 2,
        "speed_limit": 100,
        "migrate_speed": 87.25,
        "compress_rate": 1.75,
        "start_target_server": true,
        "error_json": "",
        "total_time": 3_878_000,
        "migration_ip": format!("192.168.{}.{}", i % 250, i % 200 + 1),
        "sub_tasks": [
            subtask(0, "CREATE_CLOUD_SERVER"),
            subtask(1, "SSL_CONFIG"),
            subtask(2, "ATTACH_AGENT_IMAGE"),
            subtask(3, "CONFIGURE_IP"),
            subtask(4, "FORMAT_DISK_LINUX_FILE"),
        ],
        "source_server": {
            "id": format!("{:08x}-aaaa-4bbb-8ccc-{:012x}", i, i),
            "ip": format!("10.0.{}.{}", i % 250, i % 200 + 1),
            "name": format!("web-prod-{i:05}.example.internal"),
            "os_type": "LINUX",
            "os_version": "CENTOS_7_6_64BIT",
            "oem_system": false,
            "state": "replicate",
        },
        "enterprise_project_id": "0",
        "target_server": {
            "id": format!("{:08x}-dddd-4eee-8fff-{:012x}", i, i),
            "vm_id": format!("{:08x}-1111-4222-8333-{:012x}", i, i),
            "name": format!("web-prod-{i:05}-target"),
            "ip": format!("192.168.{}.{}", i % 250, i % 200 + 1),
            "os_type": "LINUX",
            "os_version": "CENTOS_7_6_64BIT",
        },
        "log_collect_status": "INIT",
        "clone_server": {"vm_id": format!("clone-{i:08}"), "name": format!("clone-web-{i:05}")},
        "syncing": true,
        "network_check_info": {
            "domain_connectivity": true,
            "destination_connectivity": true,
            "network_delay": 12.5,
            "network_jitter": 0.8,
            "migration_speed": 950.0,
            "loss_percentage": 0.0,
            "cpu_usage": 23.4,
            "mem_usage": 41.9,
            "evaluation_result": "GOOD",
        },
        "special_config": [
            {"config_key": "EXCLUDE_MIGRATE_PATH", "config_value": "/tmp,/var/cache,/var/log/journal", "config_status": ""},
            {"config_key": "SYNC_EXCLUDE_PATH", "config_value": "/proc,/sys", "config_status": ""},
        ],
        "total_cpu_usage": 35.2,
        "agent_cpu_usage": 4.1,
        "total_mem_usage": 8192.0,
        "agent_mem_usage": 256.5,
        "total_disk_io": 120.75,
        "agent_disk_io": 95.5,
        "need_migration_test": false,
        "subtask_info": "FORMAT_DISK_LINUX_FILE:45%",
    });
    serde_json::from_value(task).expect("a task in the documented shape")
}
