"""Shared plumbing for the Great Expectations (GX) file context.

Nothing here imports great_expectations at module level: importing GX costs several
seconds, so it is imported inside functions (``import_gx``) when a suite is first needed.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from great_expectations.data_context import FileDataContext

#: repo_root/expectations (this file is repo_root/orchestration/lib/quality/_context.py)
EXPECTATIONS_DIR: Path = Path(__file__).resolve().parents[3] / "expectations"

#: One pandas data source holds one dataframe asset per suite (asset name == suite name),
#: each with one whole-dataframe batch definition. Created once by ``suites.py``.
DATASOURCE_NAME = "warehouse_frames"
BATCH_DEFINITION_NAME = "per_batch"

GX_YML = "great_expectations.yml"

#: Written only when the context does not exist yet (``python -m ...suites`` on a fresh
#: folder). GX then rewrites the file in its own layout when the data source is added;
#: that rewritten file is what is committed.
CONTEXT_TEMPLATE = """\
config_version: 4
analytics_enabled: false
progress_bars:
  globally: false
  metric_calculations: false
stores:
  expectations_store:
    class_name: ExpectationsStore
    store_backend:
      class_name: TupleFilesystemStoreBackend
      suppress_store_backend_id: true
      base_directory: suites/
  validation_results_store:
    class_name: ValidationResultsStore
    store_backend:
      class_name: TupleFilesystemStoreBackend
      suppress_store_backend_id: true
      base_directory: uncommitted/validations/
  checkpoint_store:
    class_name: CheckpointStore
    store_backend:
      class_name: TupleFilesystemStoreBackend
      suppress_store_backend_id: true
      base_directory: uncommitted/checkpoints/
  validation_definition_store:
    class_name: ValidationDefinitionStore
    store_backend:
      class_name: TupleFilesystemStoreBackend
      suppress_store_backend_id: true
      base_directory: uncommitted/validation_definitions/
expectations_store_name: expectations_store
validation_results_store_name: validation_results_store
checkpoint_store_name: checkpoint_store
data_docs_sites: {}
"""


def import_gx() -> Any:
    """Import great_expectations with analytics off. Returns the module."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx

    return gx


def _import_quietly() -> None:
    # a failure here is raised again, where it matters, by the suite's own import_gx
    with contextlib.suppress(Exception):
        import_gx()


def import_gx_in_background() -> None:
    """Start importing GX (about 4 s of Python) on a thread of its own, so that it overlaps work
    that waits on DuckDB (ingestion) rather than adding to the run. A later ``import_gx`` waits
    for it; nothing else changes."""
    threading.Thread(target=_import_quietly, name="import-gx", daemon=True).start()


def open_context(context_root: Path, *, create: bool = False) -> FileDataContext:
    """Open the GX file context rooted at ``context_root`` (the folder holding
    great_expectations.yml).

    Without ``create``, a missing context is an error: GX would otherwise scaffold a new
    project (with a random store id and template files) wherever it is pointed.
    """
    context_root = Path(context_root).resolve()
    yml = context_root / GX_YML
    if not yml.is_file():
        if not create:
            raise FileNotFoundError(
                f"No GX context at {context_root} (missing {GX_YML}). "
                "Run `python -m orchestration.lib.quality.suites` to create it."
            )
        context_root.mkdir(parents=True, exist_ok=True)
        yml.write_text(CONTEXT_TEMPLATE, encoding="utf-8")
    gx = import_gx()
    return gx.get_context(mode="file", context_root_dir=str(context_root))
