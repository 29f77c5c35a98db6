"""Named points where a test can stop a real run, to kill it there (tests/integration/test_crash_run.py).

`CSCW_TEST_PAUSE_AT=<point>` makes the run print `cscw: paused at <point>` on stderr when it
reaches that point and then wait (sleeping) until it is killed. Unset (always, outside tests),
`pause_point` does nothing. The points are where a kill matters most:

ingest   inside an authority's load transaction, after its first table is written
gate     after the gate has stored this run's verdicts, before it reports them
publish  after the new snapshot folder is complete, before it is renamed and `current` moves
"""

import os
import sys
import time

ENV = "CSCW_TEST_PAUSE_AT"


def pause_point(name: str) -> None:
    if os.environ.get(ENV) != name:
        return
    print(f"cscw: paused at {name} ({ENV})", file=sys.stderr, flush=True)
    while True:  # until killed; SIGINT/SIGTERM interrupt the sleep as they would the real work
        time.sleep(1)
