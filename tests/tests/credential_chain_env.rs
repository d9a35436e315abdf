//! The credential chain against the real process environment and a temporary HOME. The only
//! test in this binary, so nothing else reads the environment while it changes.

use std::path::PathBuf;

use sms_api::{Credentials, CredentialsError};

const VARS: [&str; 6] = [
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_PROJECT_ID",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
    "HOME",
];

fn set(vars: &[(&str, &str)]) {
    for name in VARS {
        // SAFETY: this binary runs a single test, on one thread; nothing else touches the environment.
        unsafe { std::env::remove_var(name) };
    }
    for (name, value) in vars {
        // SAFETY: as above.
        unsafe { std::env::set_var(name, value) };
    }
}

#[test]
fn the_chain_reads_the_environment_then_the_profile_file_under_home() {
    let home: PathBuf = std::env::temp_dir().join(format!("sms-api-home-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(home.join(".huaweicloud")).unwrap();
    let home_str = home.to_str().unwrap();

    // Nothing anywhere: the error says where it looked.
    set(&[("HOME", home_str)]);
    let error = Credentials::from_default_chain().unwrap_err();
    assert!(
        matches!(&error, CredentialsError::NotFound { looked } if looked.len() == 2),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains(".huaweicloud/credentials (no such file)"),
        "{error}"
    );
    assert_eq!(
        Credentials::from_env().unwrap().map(|c| format!("{c:?}")),
        None
    );

    // The profile file under HOME.
    std::fs::write(
        home.join(".huaweicloud/credentials"),
        "[basic]\nak = FILEAK\nsk = FILESECRET\n",
    )
    .unwrap();
    let found = format!("{:?}", Credentials::from_default_chain().unwrap());
    assert!(
        found.starts_with("Credentials::Basic { ak: \"FILEAK\""),
        "{found}"
    );
    assert!(!found.contains("FILESECRET"));

    // The environment wins over the file.
    set(&[
        ("HOME", home_str),
        ("HUAWEICLOUD_SDK_AK", "ENVAK"),
        ("HUAWEICLOUD_SDK_SK", "ENVSECRET"),
    ]);
    let found = format!("{:?}", Credentials::from_default_chain().unwrap());
    assert!(
        found.starts_with("Credentials::Basic { ak: \"ENVAK\""),
        "{found}"
    );

    // Half-filled environment: named, not skipped.
    set(&[("HOME", home_str), ("HUAWEICLOUD_SDK_SK", "ENVSECRET")]);
    let error = Credentials::from_default_chain().unwrap_err().to_string();
    assert_eq!(
        error,
        "incomplete credentials in the environment: HUAWEICLOUD_SDK_AK is missing"
    );

    std::fs::remove_dir_all(&home).unwrap();
}
