"""Run the promise check in a separate process against another database (the private-PostgreSQL fault).

Usage: python -m tests.faults.check_cli OK_JSON_FILE   (DATABASE_URL and CHAIN_RPC_URL from the environment)
"""

import json
import sys

import django


def main() -> int:
    django.setup()
    from tests.faults.harness import check_promise_for, wait_for_outbox_drained

    ok = [tuple(item) for item in json.load(open(sys.argv[1]))]
    wait_for_outbox_drained(timeout=150)
    print(json.dumps(check_promise_for(ok)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
