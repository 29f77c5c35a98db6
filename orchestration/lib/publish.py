"""Atomic publication: a new snapshot folder per run, then one symlink swap.

<publish>/snapshots/<stamp>/cscw.duckdb         read-only DuckDB with every published table
<publish>/snapshots/<stamp>/parquet/<t>.parquet one Parquet file per table
<publish>/snapshots/<stamp>/manifest.json       run, row counts, check results
<publish>/current -> snapshots/<stamp>          what BI tools open

Readers of `current` never see a half-written set: the link moves only after the snapshot is
complete, and older snapshots stay until `keep` newer ones exist.
"""

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

PUBLISHED_FILE = "cscw.duckdb"


@dataclass(frozen=True)
class PublishedTable:
    name: str  # name in the published outputs
    relation: str  # schema.table in the warehouse
    order_by: str  # a total order, so that the files are byte-identical for identical data


def publish_snapshot(con, publish_dir: Path, tables: list[PublishedTable], manifest: dict, keep: int = 5) -> Path:
    snapshots = publish_dir / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    work = snapshots / f".{stamp}.partial"
    (work / "parquet").mkdir(parents=True)
    counts = {}
    con.execute(f"ATTACH '{work / PUBLISHED_FILE}' AS published")
    try:
        for t in tables:
            con.execute(f"CREATE TABLE published.{t.name} AS SELECT * FROM {t.relation} ORDER BY {t.order_by}")
            con.execute(
                f"COPY (SELECT * FROM published.{t.name} ORDER BY {t.order_by}) "
                f"TO '{work / 'parquet' / (t.name + '.parquet')}' (FORMAT parquet, COMPRESSION zstd)"
            )
            counts[t.name] = con.execute(f"SELECT count(*) FROM published.{t.name}").fetchall()[0][0]
    finally:
        con.execute("DETACH published")
    manifest = {**manifest, "published_at": stamp, "tables": counts}
    (work / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    for path in work.rglob("*"):
        if path.is_file():
            path.chmod(0o444)  # BI tools read; nobody writes a published snapshot
    final = snapshots / stamp
    work.rename(final)
    _swap_link(publish_dir / "current", Path("snapshots") / stamp)
    _prune(snapshots, keep)
    return final


def _swap_link(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}.new")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target, target_is_directory=True)
    os.replace(tmp, link)  # atomic on POSIX


def _prune(snapshots: Path, keep: int) -> None:
    done = sorted(p for p in snapshots.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in done[: max(0, len(done) - keep)]:
        for path in old.rglob("*"):
            if path.is_file():
                path.chmod(0o644)
        shutil.rmtree(old)


def current_snapshot(publish_dir: Path) -> Path | None:
    link = publish_dir / "current"
    return link.resolve() if link.exists() else None
