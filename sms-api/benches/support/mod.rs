//! Realistic tasks for the benchmarks: every one of the 32 fields filled, nested objects and
//! lists included, about 1.5 KB of JSON each.

use sms_api::types::{
    CloneServerBrief, ConfigBody, LogCollectStatus, NetworkCheckInfoRequestBody, OsType,
    SourceServerAssociatedWithTask, SubTaskAssociatedWithTask, TargetServerAssociatedWithTask,
    TaskPriority, TaskState, TaskType, TasksResponseBody,
};

/// Task number `i`, every field filled.
pub fn realistic_task(i: usize) -> TasksResponseBody {
    let created = 1_700_000_000_000 + i as i64 * 60_000;
    let subtask = |n: usize, name: &str| SubTaskAssociatedWithTask {
        id: Some((i * 10 + n) as i64),
        name: Some(name.to_owned()),
        progress: Some(((i + n) * 13 % 101) as i32),
        start_date: Some(created + n as i64 * 600_000),
        end_date: Some(created + n as i64 * 600_000 + 300_000),
        process_trace: Some(format!(
            "{name}: copied {} GiB of {} GiB, 0 errors, agent 24.3.0",
            i % 500,
            500
        )),
    };
    TasksResponseBody {
        id: Some(format!(
            "{:08x}-4d1c-4e7a-9b2f-{:012x}",
            0x1000_0000 + i,
            i * 7919
        )),
        name: Some(format!("migration-web-prod-{i:05}")),
        type_: Some(TaskType::MigrateBlock),
        os_type: Some(OsType::Linux),
        state: Some(TaskState::Running),
        estimate_complete_time: Some(created + 7_200_000),
        create_date: Some(created),
        priority: Some(TaskPriority::High),
        speed_limit: Some(100),
        migrate_speed: Some(87.25),
        compress_rate: Some(1.75),
        start_target_server: Some(true),
        error_json: Some(String::new()),
        total_time: Some(3_878_000),
        migration_ip: Some(format!("192.168.{}.{}", i % 250, i % 200 + 1)),
        sub_tasks: Some(vec![
            subtask(0, "CREATE_CLOUD_SERVER"),
            subtask(1, "SSL_CONFIG"),
            subtask(2, "ATTACH_AGENT_IMAGE"),
            subtask(3, "CONFIGURE_IP"),
            subtask(4, "FORMAT_DISK_LINUX_FILE"),
        ]),
        source_server: Some(SourceServerAssociatedWithTask {
            id: Some(format!("{:08x}-aaaa-4bbb-8ccc-{:012x}", i, i)),
            ip: Some(format!("10.0.{}.{}", i % 250, i % 200 + 1)),
            name: Some(format!("web-prod-{i:05}.example.internal")),
            os_type: Some(OsType::Linux),
            os_version: Some("CENTOS_7_6_64BIT".to_owned()),
            oem_system: Some(false),
            state: Some("replicate".into()),
        }),
        enterprise_project_id: Some("0".to_owned()),
        target_server: Some(TargetServerAssociatedWithTask {
            id: Some(format!("{:08x}-dddd-4eee-8fff-{:012x}", i, i)),
            vm_id: Some(format!("{:08x}-1111-4222-8333-{:012x}", i, i)),
            name: Some(format!("web-prod-{i:05}-target")),
            ip: Some(format!("192.168.{}.{}", i % 250, i % 200 + 1)),
            os_type: Some(OsType::Linux),
            os_version: Some("CENTOS_7_6_64BIT".to_owned()),
        }),
        log_collect_status: Some(LogCollectStatus::Init),
        clone_server: Some(CloneServerBrief {
            vm_id: Some(format!("clone-{i:08}")),
            name: Some(format!("clone-web-{i:05}")),
        }),
        syncing: Some(true),
        network_check_info: Some(NetworkCheckInfoRequestBody {
            domain_connectivity: Some(true),
            destination_connectivity: Some(true),
            network_delay: Some(12.5),
            network_jitter: Some(0.8),
            migration_speed: Some(950.0),
            loss_percentage: Some(0.0),
            cpu_usage: Some(23.4),
            mem_usage: Some(41.9),
            evaluation_result: Some("GOOD".to_owned()),
        }),
        special_config: Some(vec![
            ConfigBody {
                config_key: Some("EXCLUDE_MIGRATE_PATH".to_owned()),
                config_value: Some("/tmp,/var/cache,/var/log/journal".to_owned()),
                config_status: Some(String::new()),
            },
            ConfigBody {
                config_key: Some("SYNC_EXCLUDE_PATH".to_owned()),
                config_value: Some("/proc,/sys".to_owned()),
                config_status: Some(String::new()),
            },
        ]),
        total_cpu_usage: Some(35.2),
        agent_cpu_usage: Some(4.1),
        total_mem_usage: Some(8192.0),
        agent_mem_usage: Some(256.5),
        total_disk_io: Some(120.75),
        agent_disk_io: Some(95.5),
        need_migration_test: Some(false),
        subtask_info: Some("FORMAT_DISK_LINUX_FILE:45%".to_owned()),
    }
}
