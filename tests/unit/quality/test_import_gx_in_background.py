"""GX is imported on a thread of its own while ingestion runs (lib/quality/_context.py)."""

import subprocess
import sys

SCRIPT = """
import sys, threading
from orchestration.lib.quality._context import import_gx_in_background
assert "great_expectations" not in sys.modules
import_gx_in_background()
[t.join() for t in threading.enumerate() if t.name == "import-gx"]
import os
print("great_expectations" in sys.modules, os.environ["GX_ANALYTICS_ENABLED"])
"""


def test_the_background_import_leaves_gx_imported_with_analytics_off():
    # a process of its own: this test process may have imported GX already
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "false"]
