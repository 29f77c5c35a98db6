"""Atomic publication: a new snapshot folder per run, then one symlink swap.

<publish>/snapshots/<stamp>/cscw.duckdb         read-only DuckDB with every published table
<publish>/snapshots/<stamp>/parquet/<t>.parquet one Parquet file per table
<publish>/snapshots/<stamp>/scorecard.html      the scorecard report (from the snapshot itself)
<publish>/snapshots/<stamp>/manifest.json       run, row counts, check results, settings
<publish>/current -> snapshots/<stamp>          what BI tools open

Readers of `current` never see a half-written set: the snapshot is written in
`snapshots/.<stamp>.partial`, renamed when complete (files, report, manifest), and only then does
the link move (a new link renamed over the old one: atomic). Older snapshots stay until `keep`
newer ones exist. A run killed while publishing leaves at most a `.partial` folder (removed by
the next publication) and `current` where it was, or already moved to a complete snapshot.

Per-authority verdicts (quality.verdicts, docs/data_quality.md): a table with rows per
authority is assembled from the new rows of every authority not held back plus the held-back
authorities' rows from the previous publication (the snapshot `current` points to, read from its
Parquet, untouched); an authority held back before it ever published is absent. Reference and
data-quality tables come whole from the run. When every authority is held back nothing is
published and `current` does not move.

Privacy (docs/privacy.md): the published `kpi_scorecard` has small numbers suppressed at team
and service-area level (lib/suppression.py); detail tables (child-level, pseudonymous) are left
out when `include_detail` is false (CSCW_PUBLISH_DETAIL=false); a column that looks like a name
or a case-management identifier stops publication.
"""

import json
import os
import re
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from orchestration.lib.settings import env_flag
from orchestration.lib.sqltext import lit, q
from orchestration.lib.suppression import suppress_below, suppression_sql
from orchestration.lib.testpoints import pause_point

PUBLISHED_FILE = "cscw.duckdb"
REPORT_FILE = "scorecard.html"
MANIFEST_FILE = "manifest.json"
SCORECARD = "kpi_scorecard"

# Names and case-management identifiers never leave the raw layer; this is the last guard.
FORBIDDEN_COLUMN = re.compile(
    r"(^|_)(forename|surname|first_name|last_name|full_name|given_name|family_name|dob|date_of_birth"
    r"|upn|uln|nhs_number|postcode|address)($|_)|^pers_|(^|_)person_id$|(^|_)legacy_id$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PublishedTable:
    name: str  # name in the published outputs
    relation: str  # schema.table in the warehouse
    order_by: str  # a total order, so that the files are byte-identical for identical data
    detail: bool = False  # child- or staff-level rows (pseudonymous): for auditors, optional for BI
    by_authority: bool = False  # rows per la_code: a held-back authority keeps its published rows


@dataclass(frozen=True)
class PublishOptions:
    suppress_below: int = 5
    include_detail: bool = True  # detail tables in the DuckDB file and Parquet
    report: bool = True  # write scorecard.html
    checks: list = field(default_factory=list)  # this run's check results, for manifest and report
    verdicts: list = field(default_factory=list)  # this run's [{la_code, verdict, reasons}]


def publish_options(
    env: dict | None = None, checks: list | None = None, verdicts: list | None = None
) -> PublishOptions:
    """CSCW_SUPPRESS_BELOW (default 5) and CSCW_PUBLISH_DETAIL (default true)."""
    return PublishOptions(
        suppress_below=suppress_below(env),
        include_detail=env_flag("CSCW_PUBLISH_DETAIL", True, env),
        checks=list(checks or []),
        verdicts=list(verdicts or []),
    )


def check_privacy(con, table: PublishedTable) -> list[str]:
    """Columns of a table to be published that look like names or case-management identifiers."""
    columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {table.relation}").fetchall()]
    return [c for c in columns if FORBIDDEN_COLUMN.search(c)]


def carried_over_sql(
    con, source: str, table: PublishedTable, previous: Path | None, held: list[str]
) -> str:
    """The rows of `source` for every authority not held back, plus the held-back authorities'
    rows from the previous publication's Parquet, cast to this run's columns (one schema)."""
    held_list = ", ".join(lit(code) for code in held)
    new = f"SELECT * FROM {source} WHERE NOT coalesce(la_code IN ({held_list}), false)"
    parquet = previous / "parquet" / f"{table.name}.parquet" if previous else None
    if parquet is None or not parquet.exists():
        return new  # never published: the held authorities are absent
    old = f"read_parquet({lit(parquet)})"
    old_columns = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {old}").fetchall()}
    if "la_code" not in old_columns:
        return new
    projection = ", ".join(
        f"CAST({q(name) if name in old_columns else 'NULL'} AS {kind}) AS {q(name)}"
        for name, kind, *_ in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    )
    return f"{new} UNION ALL SELECT {projection} FROM {old} WHERE la_code IN ({held_list})"


def publish_snapshot(
    con,
    publish_dir: Path,
    tables: list[PublishedTable],
    manifest: dict,
    keep: int = 5,
    options: PublishOptions | None = None,
    progress=None,
) -> Path | None:
    """Publish a new snapshot and move `current` to it; None (nothing written) when every
    authority of the run's verdicts is held back."""
    from orchestration.lib.quality.verdicts import held_back, passing

    options = options or PublishOptions()
    say = progress or (lambda message: None)
    held = held_back(options.verdicts)
    if held and not passing(options.verdicts):
        say(f"every authority is held back ({', '.join(held)}): nothing published")
        return None
    leaks = {t.name: cols for t in tables if (cols := check_privacy(con, t))}
    if leaks:
        raise ValueError(
            f"refusing to publish columns that look like personal identifiers: {leaks}"
        )
    tables = [t for t in tables if options.include_detail or not t.detail]
    previous = current_snapshot(publish_dir) if held else None

    snapshots = publish_dir / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    _remove_partials(snapshots)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    work = snapshots / f".{stamp}.partial"
    (work / "parquet").mkdir(parents=True)
    in_order = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
    con.execute(f"ATTACH '{work / PUBLISHED_FILE}' AS published")
    # A table's Parquet file is written (on a cursor of its own) while the next table is
    # assembled: each statement alone leaves part of the machine idle.
    writes: dict[str, Future] = {}
    try:
        with con.cursor() as writer, ThreadPoolExecutor(max_workers=1) as parquet:
            for i, t in enumerate(tables, 1):
                say(f"publishing {t.name} ({i}/{len(tables)})")
                source = t.relation
                if t.name == SCORECARD:
                    columns = [
                        r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {t.relation}").fetchall()
                    ]
                    source = f"({suppression_sql(t.relation, columns, options.suppress_below)})"
                if t.by_authority and held:  # published rows already carry their suppression
                    source = f"({carried_over_sql(con, source, t, previous, held)})"
                con.execute(
                    f"CREATE TABLE published.{t.name} AS SELECT * FROM {source} ORDER BY {t.order_by}"
                )
                writes[t.name] = parquet.submit(
                    _write_parquet, writer, t, work / "parquet", in_order
                )
        counts = {name: write.result() for name, write in writes.items()}
        suppressed = None
        if SCORECARD in counts:
            suppressed = con.execute(
                f"SELECT count(*) FILTER (WHERE suppressed) FROM published.{SCORECARD}"
            ).fetchall()[0][0]
    finally:
        con.execute("DETACH published")
    manifest = {
        **manifest,
        "published_at": stamp,
        "tables": counts,
        "detail_tables": sorted(t.name for t in tables if t.detail),
        "suppression": {"below": options.suppress_below, "rows_suppressed": suppressed},
        "checks": options.checks,
        "verdicts": options.verdicts,
        "held_back_rows_from": previous.name if previous else None,
    }
    if options.report and SCORECARD in counts:
        from orchestration.lib.scorecard_report import (
            write_report,  # after the files: reads the snapshot
        )

        say("writing the scorecard report")
        write_report(work / PUBLISHED_FILE, work / REPORT_FILE, manifest)
        manifest["report"] = REPORT_FILE
    (work / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    for path in work.rglob("*"):
        if path.is_file():
            path.chmod(0o444)  # BI tools read; nobody writes a published snapshot
    pause_point("publish")
    final = snapshots / stamp
    work.rename(final)
    _swap_link(publish_dir / "current", Path("snapshots") / stamp)
    _prune(snapshots, keep)
    return final


def _write_parquet(con, table: PublishedTable, folder: Path, in_order: bool) -> int:
    """The published table's Parquet file; its row count. Where the connection keeps insertion
    order (DuckDB's default), the table holds its rows in order and the file is written without
    sorting them again."""
    reorder = "" if in_order else f" ORDER BY {table.order_by}"
    con.execute(
        f"COPY (SELECT * FROM published.{table.name}{reorder}) "
        f"TO '{folder / (table.name + '.parquet')}' (FORMAT parquet, COMPRESSION zstd)"
    )
    return con.execute(f"SELECT count(*) FROM published.{table.name}").fetchall()[0][0]


def _swap_link(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}.new")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target, target_is_directory=True)
    os.replace(tmp, link)  # atomic on POSIX


def _remove_partials(snapshots: Path) -> None:
    """Half-written snapshots of runs killed while publishing (one run at a time holds the run
    lock, so none of them is being written now). Nothing ever pointed at them."""
    for partial in snapshots.glob(".*.partial"):
        shutil.rmtree(partial, ignore_errors=True)


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


def read_manifest(snapshot: Path) -> dict:
    path = snapshot / MANIFEST_FILE
    return json.loads(path.read_text()) if path.exists() else {}
