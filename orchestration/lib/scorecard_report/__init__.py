"""The HTML scorecard report, written into a published snapshot from that snapshot's DuckDB file."""

from pathlib import Path

from orchestration.lib.scorecard_report.data import load_authorities
from orchestration.lib.scorecard_report.render import render_html


def write_report(snapshot_db: Path, out: Path, manifest: dict) -> Path:
    import duckdb

    con = duckdb.connect(str(snapshot_db), read_only=True)
    try:
        authorities = load_authorities(con)
    finally:
        con.close()
    out.write_text(render_html(authorities, manifest), encoding="utf-8")
    return out


__all__ = ["load_authorities", "render_html", "write_report"]
