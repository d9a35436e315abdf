//! Any bytes as a ListTasks 200 body: decoding never panics, and what decodes serializes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sms_api::types::ListTasksResponse;

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = serde_json::from_slice::<ListTasksResponse>(data) {
        let json = serde_json::to_vec(&page).expect("a decoded page serializes");
        let again: ListTasksResponse = serde_json::from_slice(&json).expect("what we serialize decodes");
        assert_eq!(again.tasks.as_ref().map(Vec::len), page.tasks.as_ref().map(Vec::len));
        assert_eq!(again.count, page.count);
    }
});
