//! Building a client: clear errors for bad settings, and secrets that never print.

use sms_api::{BuildError, Client, Credentials};

const SECRET: &str = "MIIZ-very-secret-token";

#[test]
fn debug_of_everything_holding_the_token_is_redacted() {
    let credentials = Credentials::iam_token(SECRET);
    let builder = Client::builder()
        .endpoint("https://sms.cn-north-4.myhuaweicloud.com")
        .credentials(credentials.clone());
    let builder_debug = format!("{builder:?} {builder:#?}");
    let client = builder.build().unwrap();
    for shown in [
        format!("{credentials:?}"),
        format!("{credentials:#?}"),
        builder_debug,
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains(SECRET), "secret printed in {shown}");
        assert!(
            !shown.contains("very-secret"),
            "part of the secret printed in {shown}"
        );
    }
    assert_eq!(
        format!("{credentials:?}"),
        "Credentials::IamToken(<redacted>)"
    );
    assert!(format!("{client:?}").contains("x-auth-token"));
}

#[test]
fn debug_of_aksk_credentials_and_clients_shows_no_secret() {
    let basic = Credentials::basic("HPUAAK", "SK-SECRET-VALUE")
        .project_id("p")
        .security_token("ST-SECRET-VALUE");
    let global = Credentials::global("HPUAAK", "SK-SECRET-VALUE", "domain")
        .security_token("ST-SECRET-VALUE");
    let basic_debug = format!("{basic:?} {basic:#?}");
    let global_debug = format!("{global:?} {global:#?}");
    let client = Client::builder()
        .endpoint("https://sms.cn-north-4.myhuaweicloud.com")
        .credentials(basic)
        .build()
        .unwrap();
    for shown in [
        basic_debug,
        global_debug,
        format!("{client:?}"),
        format!("{client:#?}"),
    ] {
        assert!(!shown.contains("SECRET-VALUE"), "secret printed in {shown}");
    }
    assert!(format!("{client:?}").contains("x-security-token"));
}

#[test]
fn missing_and_invalid_settings_are_typed_errors() {
    let token = || Credentials::iam_token(SECRET);
    assert_eq!(
        Client::builder().credentials(token()).build().unwrap_err(),
        BuildError::MissingEndpoint
    );
    assert_eq!(
        Client::builder()
            .endpoint("https://example.com")
            .build()
            .unwrap_err(),
        BuildError::MissingCredentials
    );
    let error = Client::builder()
        .endpoint("sms.cn-north-4.myhuaweicloud.com")
        .credentials(token())
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, BuildError::InvalidEndpoint { endpoint, .. } if endpoint == "sms.cn-north-4.myhuaweicloud.com")
    );
    let error = Client::builder()
        .endpoint("ftp://example.com")
        .credentials(token())
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("http:// or https://"), "{error}");
    let error = Client::builder()
        .endpoint("https://example.com")
        .credentials(Credentials::iam_token(format!("{SECRET}\n")))
        .build()
        .unwrap_err();
    assert!(matches!(error, BuildError::InvalidCredentials { .. }));
    assert!(!error.to_string().contains(SECRET), "{error}");
}

#[test]
fn a_trailing_slash_on_the_endpoint_is_ignored() {
    let client = Client::builder()
        .endpoint("https://sms.cn-north-4.myhuaweicloud.com/")
        .credentials(Credentials::iam_token(SECRET))
        .build()
        .unwrap();
    assert_eq!(
        client.endpoint(),
        "https://sms.cn-north-4.myhuaweicloud.com"
    );
}
