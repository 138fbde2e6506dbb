//! Tests of `ipc::webdav`.

use super::*;

/// Each failure the brief names has its own code, so the UI can give each its own sentence.
#[test]
fn each_failure_has_its_own_code() {
    let cases = [
        (WebDavError::Unauthorized, "\"unauthorized\""),
        (WebDavError::NotFound, "\"not_found\""),
        (WebDavError::InsufficientStorage, "\"no_space\""),
        (WebDavError::Unreachable("refused".into()), "\"unreachable\""),
        (WebDavError::Tls("UnknownIssuer".into()), "\"tls\""),
        (WebDavError::Timeout, "\"timeout\""),
        (WebDavError::NotAllowed, "\"not_allowed\""),
        (WebDavError::TooManyConflicts, "\"busy\""),
        (WebDavError::Server(500), "\"server\""),
    ];
    for (error, code) in cases {
        assert_eq!(serde_json::to_string(&SyncProblem::from(&error)).unwrap(), code, "{error:?}");
    }
}
