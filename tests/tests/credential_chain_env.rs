//! The credential chain against the real process environment and a temporary HOME, with
//! loopback fakes of the metadata service, pod identity, IAM and STS. The only test in this
//! binary, so nothing else reads the environment while it changes.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use sms_api::mock::FakeCredentialsService;
use sms_api::prelude::*;
use support::{FnServer, response};

const VARS: [&str; 17] = [
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_PROJECT_ID",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
    "HOME",
    "HUAWEICLOUD_SDK_IDP_ID",
    "HUAWEICLOUD_SDK_ID_TOKEN_FILE",
    "HUAWEICLOUD_SDK_IAM_ENDPOINT",
    "HUAWEICLOUD_SDK_METADATA_ENDPOINT",
    "HC_CONTAINER_CREDENTIALS_FULL_URI",
    "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "HUAWEICLOUD_OIDC_PROVIDER_URN",
    "HUAWEICLOUD_OIDC_AGENCY_URN",
    "HUAWEICLOUD_OIDC_ID_TOKEN",
    "HUAWEICLOUD_OIDC_TOKEN_FILE",
    "HUAWEICLOUD_SDK_STS_ENDPOINT",
];

/// A credential answer that expires far in the future.
const CREDENTIAL: &str = r#"{"credential": {"access": "IAMAK", "secret": "IAMSK", "securitytoken": "IAMST", "expires_at": "2099-01-01T00:00:00.000000Z"}}"#;

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

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sms = runtime.block_on(FnServer::start(|_, _| {
        response("200 OK", &[], r#"{"count": 0, "tasks": []}"#)
    }));
    // A call with the chain's credentials: its error, or the AK it was signed with.
    let call = |credentials: Credentials| -> Result<String, sms_api::Error> {
        let client = Client::builder()
            .endpoint(&sms.base_url)
            .credentials(credentials)
            .build()
            .unwrap();
        runtime.block_on(client.list_tasks().fetch())?;
        let head = sms.received().last().unwrap().head.clone();
        Ok(head
            .split("Access=")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .to_owned())
    };

    // Nothing anywhere, and no metadata service (a closed port): the first request fails, and
    // the error says what every source of the chain said.
    set(&[
        ("HOME", home_str),
        ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", "http://127.0.0.1:1"),
    ]);
    let credentials = Credentials::from_default_chain().unwrap();
    assert_eq!(
        credentials.source(),
        "the ECS metadata service or CCE pod identity"
    );
    let error = call(credentials).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials, "{error}");
    let text = error.to_string();
    for said in [
        "OIDC (HUAWEICLOUD_OIDC_PROVIDER_URN, HUAWEICLOUD_OIDC_AGENCY_URN: not set)",
        "the environment (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_IDP_ID: not set)",
        ".huaweicloud/credentials (no such file)",
        "the ECS metadata service at http://127.0.0.1:1: unreachable",
        "CCE pod identity (HC_CONTAINER_CREDENTIALS_FULL_URI, HC_CONTAINER_AUTHORIZATION_TOKEN_FILE: not set)",
    ] {
        assert!(text.contains(said), "{said:?} missing in {text}");
    }
    assert_eq!(
        Credentials::from_env().unwrap().map(|c| format!("{c:?}")),
        None
    );

    // The metadata service unreachable, pod identity configured: the chain goes on to it.
    let fake = runtime.block_on(FakeCredentialsService::start(Duration::from_secs(3600)));
    let token_file = home.join("pod-token");
    std::fs::write(&token_file, "pod-identity-token\n").unwrap();
    set(&[
        ("HOME", home_str),
        ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", "http://127.0.0.1:1"),
        (
            "HC_CONTAINER_CREDENTIALS_FULL_URI",
            &fake.pod_identity_uri(),
        ),
        (
            "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
    ]);
    assert_eq!(
        call(Credentials::from_default_chain().unwrap()).unwrap(),
        "FAKEAK1"
    );

    // The metadata service reachable, no pod identity: the instance's agency.
    set(&[
        ("HOME", home_str),
        (
            "HUAWEICLOUD_SDK_METADATA_ENDPOINT",
            &fake.metadata_endpoint(),
        ),
    ]);
    assert_eq!(
        call(Credentials::from_default_chain().unwrap()).unwrap(),
        "FAKEAK2"
    );

    // In a CCE pod whose node's metadata service also answers: the pod's own identity comes
    // first (the node would lend the pod its agency), a deliberate difference from the
    // official SDKs' order.
    let node = runtime.block_on(FakeCredentialsService::start(Duration::from_secs(3600)));
    let pod = runtime.block_on(FakeCredentialsService::start(Duration::from_secs(3600)));
    set(&[
        ("HOME", home_str),
        (
            "HUAWEICLOUD_SDK_METADATA_ENDPOINT",
            &node.metadata_endpoint(),
        ),
        ("HC_CONTAINER_CREDENTIALS_FULL_URI", &pod.pod_identity_uri()),
        (
            "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
    ]);
    let in_pod = Credentials::from_default_chain().unwrap();
    assert_eq!(
        in_pod.source(),
        "CCE pod identity or the ECS metadata service"
    );
    assert_eq!(call(in_pod).unwrap(), "FAKEAK1");
    assert_eq!(
        (pod.issued(), node.issued()),
        (1, 0),
        "the pod's identity, not the node's"
    );

    // IAM federation: an ID token for an unscoped token, then temporary credentials.
    let iam = runtime.block_on(FnServer::start(|_, target| {
        if target.starts_with("/v3.0/OS-AUTH/id-token/tokens") {
            response(
                "201 Created",
                &[("x-subject-token", "unscoped-token")],
                "{}",
            )
        } else {
            response(
                "201 Created",
                &[("content-type", "application/json")],
                CREDENTIAL,
            )
        }
    }));
    let id_token = home.join("id-token");
    std::fs::write(&id_token, "the-id-token").unwrap();
    set(&[
        ("HOME", home_str),
        ("HUAWEICLOUD_SDK_IDP_ID", "my-idp"),
        ("HUAWEICLOUD_SDK_ID_TOKEN_FILE", id_token.to_str().unwrap()),
        ("HUAWEICLOUD_SDK_IAM_ENDPOINT", &iam.base_url),
    ]);
    let credentials = Credentials::from_default_chain().unwrap();
    assert_eq!(credentials.source(), "IAM federation (an ID token)");
    assert_eq!(call(credentials).unwrap(), "IAMAK");
    let heads: Vec<String> = iam.received().into_iter().map(|r| r.head).collect();
    assert!(
        heads[0].starts_with("POST /v3.0/OS-AUTH/id-token/tokens")
            && heads[0].contains("x-idp-id: my-idp"),
        "{heads:?}"
    );
    assert!(
        heads[1].starts_with("POST /v3.0/OS-CREDENTIAL/securitytokens")
            && heads[1].contains("x-auth-token: unscoped-token"),
        "{heads:?}"
    );

    // OIDC through STS comes before everything else.
    let sts = runtime.block_on(FnServer::start(|_, _| {
        response(
            "200 OK",
            &[("content-type", "application/json")],
            CREDENTIAL,
        )
    }));
    set(&[
        ("HOME", home_str),
        ("HUAWEICLOUD_SDK_AK", "ENVAK"),
        ("HUAWEICLOUD_SDK_SK", "ENVSECRET"),
        ("HUAWEICLOUD_OIDC_PROVIDER_URN", "iam::provider:oidc"),
        ("HUAWEICLOUD_OIDC_AGENCY_URN", "iam::agency:migrator"),
        ("HUAWEICLOUD_OIDC_ID_TOKEN", "the-oidc-token"),
        ("HUAWEICLOUD_SDK_STS_ENDPOINT", &sts.base_url),
    ]);
    let credentials = Credentials::from_default_chain().unwrap();
    assert_eq!(credentials.source(), "STS (an OIDC ID token)");
    assert!(!format!("{credentials:?}").contains("the-oidc-token"));
    assert_eq!(call(credentials).unwrap(), "IAMAK");
    assert!(
        sts.received()[0]
            .head
            .starts_with("POST /v5/agencies/assume-with-oidc")
    );

    // The profile file under HOME.
    set(&[("HOME", home_str)]);
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
