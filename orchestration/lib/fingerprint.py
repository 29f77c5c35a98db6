""" "Nothing new costs nothing": the fingerprint of what decides a run's output.

Three parts, each a SHA-256 digest:

- **inputs**: the landing area as ingestion would see it (lib/ingest/landing.py `list_drops`):
  for every file of every drop it would read, the path relative to the landing area, its size and
  mtime_ns, and the paths it would ignore (a listing: no file is opened). A drop dated in the
  future is not read until its date comes, and then the listing changes.
- **code**: the paths and contents of the tracked source that decides the output: the dbt
  project (models, macros, tests, project and profile files), seeds/, orchestration/ (Python
  and its data files), the expectations suites, and the lock files of library versions.
- **settings**: the Settings that decide output (not the working folder, Dagster's home, DuckDB
  memory and threads), the publication and PostgreSQL settings read from CSCW_* variables, and
  the listing of the return schemas folder. The pseudonym key and the PostgreSQL DSN enter only
  as digests; the stored file holds digests, never a setting in clear.

After a run that ended well (exit code 0 or 3, a new publication), `record` writes the fingerprint
beside the warehouse (`<warehouse>.fingerprint.json`); a run that starts removes it first, so a
failed or interrupted run never leaves a stale one. `up_to_date` compares it at the start of
`cscw run`, before anything heavy is imported.
"""

import hashlib
import json
import os
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path

from orchestration.lib.settings import REPO_ROOT, Settings

VERSION = 1

# What decides the output: folders walked whole (generated files skipped), single files.
CODE_FOLDERS = ("dbt_project", "seeds", "orchestration", "expectations")
CODE_FILES = ("requirements.lock", "requirements-spark.lock", "pyproject.toml")
SKIP_DIRS = {"__pycache__", "target", "logs", "dbt_packages", "uncommitted", ".pytest_cache"}
SKIP_FILES = {".user.yml"}
SKIP_SUFFIXES = (".pyc", ".pyo", ".log", ".duckdb", ".wal")

# Settings fields that do not change what a run produces.
NOT_OUTPUT = {
    "home",
    "dagster_home",
    "duckdb_memory",
    "duckdb_threads",
    "dbt_threads",
    "ingest_workers",
    "raw_parquet",  # where the Parquet copy of raw goes; the engine itself is an output setting
}
SECRET = {"pseudonym_key"}
# Settings read from the environment outside the Settings dataclass that decide the output
# (publication: lib/publish.py, lib/suppression.py; PostgreSQL: lib/publish_postgres.py).
OUTPUT_ENV = (
    "CSCW_SUPPRESS_BELOW",
    "CSCW_PUBLISH_DETAIL",
    "CSCW_PG_SCHEMA",
    "CSCW_PG_PUBLISH_DETAIL",
    "CSCW_PG_READER_ROLE",
)
SECRET_ENV = ("CSCW_PG_DSN",)


@dataclass(frozen=True)
class Fingerprint:
    inputs: str
    code: str
    settings: str
    authorities: int
    drops: int
    files: int

    def same_as(self, stored: dict) -> bool:
        return stored.get("version") == VERSION and all(
            stored.get(name) == getattr(self, name) for name in ("inputs", "code", "settings")
        )


def _digest(items) -> str:
    h = hashlib.sha256()
    for item in items:
        h.update(json.dumps(item, default=str).encode())
        h.update(b"\n")
    return h.hexdigest()


def _secret(value: str) -> str:
    return hashlib.sha256(b"cscw-fingerprint|" + value.encode()).hexdigest()


def inputs_listing(
    landing: Path, today: date | None = None, settle_seconds: float = 0.0, now: float | None = None
) -> tuple[list, int, int]:
    """(listing, authorities, drops): what ingestion would read, by path, size and mtime. A file
    still inside the settle window is listed without them: ingestion leaves it for a later run,
    so once it settles the listing changes and that run is not skipped."""
    import time

    from orchestration.lib.ingest.landing import list_drops, unsettled

    now = time.time() if now is None else now
    drops, ignored = list_drops(landing, today)
    listing: list = []
    for _la, _date, folder in drops:
        for path in sorted(folder.iterdir()):
            rel = path.relative_to(landing).as_posix()
            if unsettled(path, settle_seconds, now):
                listing.append(("unsettled", rel))
            elif path.is_file():
                st = path.stat()
                listing.append(("file", rel, st.st_size, st.st_mtime_ns))
            else:
                listing.append(("other", rel))
    listing += [("ignored", path.relative_to(landing).as_posix()) for path, _why in ignored]
    return listing, len({la for la, _d, _f in drops}), len(drops)


def _code_files(root: Path):
    for name in CODE_FILES:
        if (root / name).is_file():
            yield root / name
    for folder in CODE_FOLDERS:
        for dirpath, dirnames, filenames in os.walk(root / folder):
            dirnames[:] = sorted(
                d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")
            )
            for f in sorted(filenames):
                if f not in SKIP_FILES and not f.endswith(SKIP_SUFFIXES):
                    yield Path(dirpath) / f


def code_digest(root: Path = REPO_ROOT) -> str:
    """Paths and contents of the source that decides the output (a few hundred small files)."""
    h = hashlib.sha256()
    target = os.environ.get("DBT_TARGET_PATH")
    skip = Path(target).resolve() if target else None
    for path in _code_files(root):
        if skip and path.resolve().is_relative_to(skip):
            continue
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def settings_items(
    settings: Settings, accept_change: list[str] | None = None, env: dict | None = None
) -> list:
    env = os.environ if env is None else env
    items: list = []
    for f in fields(Settings):
        if f.name in NOT_OUTPUT:
            continue
        value = getattr(settings, f.name)
        items.append((f.name, _secret(value) if f.name in SECRET else str(value)))
    for name in OUTPUT_ENV:
        items.append((name, env.get(name, "")))
    for name in SECRET_ENV:
        items.append((name, _secret(env[name]) if env.get(name) else ""))
    if settings.return_schemas and settings.return_schemas.is_dir():
        for p in sorted(settings.return_schemas.rglob("*")):
            if p.is_file():
                st = p.stat()
                items.append(
                    (
                        "schema",
                        p.relative_to(settings.return_schemas).as_posix(),
                        st.st_size,
                        st.st_mtime_ns,
                    )
                )
    items.append(("accept_change", sorted(accept_change or [])))
    return items


def compute(
    settings: Settings,
    accept_change: list[str] | None = None,
    today: date | None = None,
    root: Path = REPO_ROOT,
    env: dict | None = None,
) -> Fingerprint:
    listing, authorities, drops = inputs_listing(
        settings.landing, today, settings.landing_settle_seconds
    )
    return Fingerprint(
        inputs=_digest(listing),
        code=code_digest(root),
        settings=_digest(settings_items(settings, accept_change, env)),
        authorities=authorities,
        drops=drops,
        files=sum(1 for item in listing if item[0] == "file"),
    )


def fingerprint_path(settings: Settings) -> Path:
    return settings.warehouse.with_name(settings.warehouse.name + ".fingerprint.json")


def read_stored(settings: Settings) -> dict:
    try:
        return json.loads(fingerprint_path(settings).read_text())
    except (OSError, ValueError):
        return {}


def forget(settings: Settings) -> None:
    """A run starts: whatever it leaves behind is not what the stored fingerprint describes."""
    fingerprint_path(settings).unlink(missing_ok=True)


def _current_snapshot(publish_dir: Path) -> Path | None:
    link = publish_dir / "current"
    return link.resolve() if link.exists() else None


def record(
    settings: Settings, fp: Fingerprint, exit_code: int, snapshot_before: Path | None
) -> bool:
    """Store the fingerprint taken at the run's start if the run ended well: exit code 0 or 3 and
    a new publication (with its manifest, which names the run). False when not stored."""
    snapshot = _current_snapshot(settings.publish_dir)
    if exit_code not in (0, 3) or snapshot is None or snapshot == snapshot_before:
        return False
    try:
        manifest = json.loads((snapshot / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    stored = {
        "version": VERSION,
        **asdict(fp),
        "run_id": manifest.get("run_id"),
        "exit_code": exit_code,
        "snapshot": snapshot.name,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    path = fingerprint_path(settings)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(stored, indent=2) + "\n")
    os.replace(tmp, path)
    return True


def up_to_date(settings: Settings, fp: Fingerprint) -> str | None:
    """The "up to date" message when nothing that decides the output changed since the last run
    that ended well and its warehouse and publication are still there; None when a run is due."""
    stored = read_stored(settings)
    if not stored or not fp.same_as(stored):
        return None
    snapshot = _current_snapshot(settings.publish_dir)
    if (
        not settings.warehouse.is_file()
        or snapshot is None
        or snapshot.name != stored.get("snapshot")
    ):
        return None
    if not (snapshot / "manifest.json").is_file():
        return None
    return (
        f"up to date: nothing new since run {stored.get('run_id')} at {stored.get('finished_at')} "
        f"({fp.authorities} authorities, {fp.drops} drops); nothing rebuilt"
    )


def per_authority_allowed(settings: Settings, fp: Fingerprint) -> bool:
    """Whether a run may rebuild only the authorities with a new drop: the last run that ended
    well had this code and these settings, and its warehouse is still there (otherwise
    every model is rebuilt: macros/by_authority.sql)."""
    stored = read_stored(settings)
    return (
        stored.get("version") == VERSION
        and stored.get("code") == fp.code
        and stored.get("settings") == fp.settings
        and settings.warehouse.is_file()
    )


def run_unless_up_to_date(
    settings: Settings, accept_change: list[str] | None, force: bool, run
) -> int:
    """`cscw run`: say "up to date" and return 0 when nothing changed (unless forced or a change
    is accepted: an accepted change is never skipped), else `run(settings, accept_change,
    per_authority)` and store the fingerprint taken before it if it ended well. `per_authority`:
    only the landing area changed since the last run that ended well and the run is not forced
    (`--force` rebuilds everything)."""
    if not settings.landing.is_dir():
        return run(settings, accept_change)  # it reports the missing landing area (exit code 2)
    accepted = list(accept_change or []) + (
        [os.environ["CSCW_ACCEPT_CHANGE"]] if os.environ.get("CSCW_ACCEPT_CHANGE") else []
    )
    fp = compute(settings, accepted)
    if not force and not accepted:
        message = up_to_date(settings, fp)
        if message:
            print(message)
            return 0
    per_authority = not force and per_authority_allowed(settings, fp)
    before = _current_snapshot(settings.publish_dir)
    forget(settings)
    code = run(settings, accept_change, per_authority)
    record(settings, fp, code, before)
    return code
