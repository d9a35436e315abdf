//! Integration tests for sms-api live in `tests/`.
