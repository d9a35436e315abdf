"""Lists every task with the official Huawei Cloud Python SDK (huaweicloudsdksms), page by page,
as its users must: the reference side of the wide-area benchmark (sms-api/benches/wide_area/main.rs).

    python list_tasks.py ENDPOINT PAGE_SIZE

Prints one JSON line: {"tasks": N, "seconds": S}, S timed from building the client to the last
page decoded (interpreter start-up and imports excluded).
"""

import json
import sys
import time

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdksms.v3 import ListTasksRequest, SmsClient


def main():
    endpoint, page_size = sys.argv[1], int(sys.argv[2])
    started = time.perf_counter()
    config = HttpConfig.get_default_config()
    config.ignore_ssl_verification = True
    client = (
        SmsClient.new_builder()
        .with_http_config(config)
        .with_credentials(BasicCredentials("BENCHAK", "bench-secret", "bench-project"))
        .with_endpoints([endpoint])
        .build()
    )
    listed, offset = 0, 0
    while True:
        page = client.list_tasks(ListTasksRequest(limit=page_size, offset=offset))
        tasks = page.tasks or []
        listed += len(tasks)
        offset += len(tasks)
        if not tasks or offset >= page.count:
            break
    print(json.dumps({"tasks": listed, "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
