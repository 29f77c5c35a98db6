"""The HTML scorecard report from a hand-made tiny scorecard, rendered in headless Chromium.

Tiny warehouse (authority 900; months Jan-Mar 2024, quarter 2023-24 Q4, year 2023-24):

 measure                     unit        Jan          Feb           Mar            Q4          year
 assessments_45wd (>= 95)    percentage  18/20 90.0 A 19/20 95.0 G  39/40 97.5 G   76/80 95.0  300/320 93.75 A
 cp_plans_open (135-155)     count       170 R        160 A         142 G          142 G       142 G
 cla_rate_10k (no target)    rate_10k    63/10000     64/10000      65/10000 65.0  65.0        65.0   England 71.0
 care_proceedings_mean_weeks mean        -            -             380/10 38.0    38.0        38.0

Drill-down (Mar): service area SA1 "Safeguarding" 39/40; team T1 "Assessment A" 2/3 (suppressed:
denominator under 5), team T2 "Assessment B" 37/37 = 100.0; cp_plans_open T1 4 (suppressed: count
under 5), T2 138.
"""

import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.publish import PublishedTable, PublishOptions, publish_snapshot

CATALOGUE = [
    (
        "assessments_45wd",
        "Assessments completed within 45 working days",
        "Front door",
        "percentage",
        "up",
    ),
    ("cp_plans_open", "Children subject to a CP plan", "Child protection", "count", "range"),
    (
        "cla_rate_10k",
        "Looked-after children per 10,000",
        "Looked-after children",
        "rate_10k",
        "none",
    ),
    (
        "care_proceedings_mean_weeks",
        "Care proceedings mean duration (weeks)",
        "Courts and permanence",
        "mean",
        "down",
    ),
]
NAMES = {k: n for k, n, *_ in CATALOGUE}
UNITS = {k: u for k, _, _, u, _ in CATALOGUE}
TARGETS = {"assessments_45wd": (95.0, None, None), "cp_plans_open": (135.0, 135.0, 155.0)}
PERIODS = {
    "Jan 2024": ("month", "2024-01-01", "2024-01-31"),
    "Feb 2024": ("month", "2024-02-01", "2024-02-29"),
    "Mar 2024": ("month", "2024-03-01", "2024-03-31"),
    "2023-24 Q4": ("quarter", "2024-01-01", "2024-03-31"),
    "2023-24": ("year", "2023-04-01", "2024-03-31"),
}
BREAKDOWNS = {
    "la": ("900", "Authority 900"),
    "SA1": ("service_area", "Safeguarding"),
    "T1": ("team", "Assessment A"),
    "T2": ("team", "Assessment B"),
}
# (kpi, period label, breakdown, numerator, denominator, value, rag, direction)
FACTS = [
    ("assessments_45wd", "Jan 2024", "la", 18, 20, 90.0, "Amber", None),
    ("assessments_45wd", "Feb 2024", "la", 19, 20, 95.0, "Green", "improving"),
    ("assessments_45wd", "Mar 2024", "la", 39, 40, 97.5, "Green", "improving"),
    ("assessments_45wd", "2023-24 Q4", "la", 76, 80, 95.0, "Green", None),
    ("assessments_45wd", "2023-24", "la", 300, 320, 93.75, "Amber", None),
    ("assessments_45wd", "Mar 2024", "SA1", 39, 40, 97.5, "Green", None),
    ("assessments_45wd", "Mar 2024", "T1", 2, 3, 2 / 3 * 100, "Red", None),
    ("assessments_45wd", "Mar 2024", "T2", 37, 37, 100.0, "Green", None),
    ("assessments_45wd", "2023-24 Q4", "SA1", 76, 80, 95.0, "Green", None),
    ("assessments_45wd", "2023-24 Q4", "T1", 10, 12, 10 / 12 * 100, "Red", None),
    ("assessments_45wd", "2023-24 Q4", "T2", 66, 68, 66 / 68 * 100, "Green", None),
    ("cp_plans_open", "Jan 2024", "la", 170, None, 170.0, "Red", None),
    ("cp_plans_open", "Feb 2024", "la", 160, None, 160.0, "Amber", "improving"),
    ("cp_plans_open", "Mar 2024", "la", 142, None, 142.0, "Green", "improving"),
    ("cp_plans_open", "2023-24 Q4", "la", 142, None, 142.0, "Green", None),
    ("cp_plans_open", "2023-24", "la", 142, None, 142.0, "Green", None),
    ("cp_plans_open", "Mar 2024", "SA1", 142, None, 142.0, None, None),
    ("cp_plans_open", "Mar 2024", "T1", 4, None, 4.0, None, None),
    ("cp_plans_open", "Mar 2024", "T2", 138, None, 138.0, None, None),
    ("cla_rate_10k", "Jan 2024", "la", 63, 10000, 63.0, None, None),
    ("cla_rate_10k", "Feb 2024", "la", 64, 10000, 64.0, None, "unchanged"),
    ("cla_rate_10k", "Mar 2024", "la", 65, 10000, 65.0, None, "unchanged"),
    ("cla_rate_10k", "2023-24 Q4", "la", 65, 10000, 65.0, None, None),
    ("cla_rate_10k", "2023-24", "la", 65, 10000, 65.0, None, None),
    ("care_proceedings_mean_weeks", "Mar 2024", "la", 380, 10, 38.0, None, None),
    ("care_proceedings_mean_weeks", "2023-24 Q4", "la", 380, 10, 38.0, None, None),
    ("care_proceedings_mean_weeks", "2023-24", "la", 380, 10, 38.0, None, None),
]


def build_tiny_warehouse(con, england: bool = True) -> list[PublishedTable]:
    """Create the tiny warehouse in `con`; returns the tables to publish."""
    for schema in ("kpi", "reference", "conformed"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    con.execute("""CREATE OR REPLACE TABLE kpi.kpi_scorecard (la_code VARCHAR, kpi_id VARCHAR, kpi_name VARCHAR,
        period_type VARCHAR, period_start DATE, period_end DATE, period_label VARCHAR, breakdown VARCHAR,
        breakdown_id VARCHAR, breakdown_name VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE,
        unit VARCHAR, target DOUBLE, target_low DOUBLE, target_high DOUBLE, rag VARCHAR, direction VARCHAR)""")
    rows = []
    for kpi, label, where, num, den, value, rag, direction in FACTS:
        period_type, start, end = PERIODS[label]
        breakdown, name = BREAKDOWNS[where]
        if where == "la":
            breakdown, bid = "la", "900"
        else:
            bid = where
        target = TARGETS.get(kpi, (None, None, None))
        rows.append(
            (
                "900",
                kpi,
                NAMES[kpi],
                period_type,
                start,
                end,
                label,
                breakdown,
                bid,
                name,
                num,
                den,
                value,
                UNITS[kpi],
                *target,
                rag,
                direction,
            )
        )
    con.executemany("INSERT INTO kpi.kpi_scorecard VALUES (" + ", ".join(["?"] * 19) + ")", rows)
    con.execute("""CREATE OR REPLACE TABLE kpi.kpi_assessments_45wd_detail AS
        SELECT * FROM (VALUES ('900', 'a1b2c3d4e5f60718', DATE '2024-03-04', 12, true),
                              ('900', '0f1e2d3c4b5a6978', DATE '2024-03-05', 50, false))
        AS t(la_code, child_key, assessment_auth_date, working_days, is_met)""")
    con.execute(
        "CREATE OR REPLACE TABLE reference.kpi_catalogue (kpi_id VARCHAR, kpi_name VARCHAR, family VARCHAR, unit VARCHAR, polarity VARCHAR)"
    )
    con.executemany("INSERT INTO reference.kpi_catalogue VALUES (?, ?, ?, ?, ?)", CATALOGUE)
    con.execute("""CREATE OR REPLACE TABLE conformed.dim_team AS SELECT * FROM (VALUES
        ('900', 'SA1', 'Safeguarding', 'SA1', 'Safeguarding', true),
        ('900', 'T1', 'Assessment A', 'SA1', 'Safeguarding', false),
        ('900', 'T2', 'Assessment B', 'SA1', 'Safeguarding', false))
        AS t(la_code, team_id, team_name, service_area_id, service_area_name, is_service_area)""")
    con.execute(
        "CREATE OR REPLACE TABLE conformed.dim_authority AS SELECT '900' AS la_code, DATE '2024-04-12' AS as_at_date"
    )
    tables = [
        PublishedTable(
            "kpi_assessments_45wd_detail", "kpi.kpi_assessments_45wd_detail", "ALL", detail=True
        ),
        PublishedTable("kpi_scorecard", "kpi.kpi_scorecard", "ALL"),
        PublishedTable("kpi_catalogue", "reference.kpi_catalogue", "kpi_id"),
        PublishedTable("dim_team", "conformed.dim_team", "la_code, team_id"),
        PublishedTable("dim_authority", "conformed.dim_authority", "la_code"),
    ]
    if england:
        con.execute("""CREATE OR REPLACE TABLE reference.england_comparators AS SELECT * FROM (VALUES
            ('cla_rate_10k', 71.0, DATE '2024-03-31', 'DfE CLA 2024'),
            ('cla_rate_10k', 70.0, DATE '2023-03-31', 'DfE CLA 2023'))
            AS t(kpi_id, england_value, as_of, source)""")
        tables.append(
            PublishedTable("england_comparators", "reference.england_comparators", "kpi_id, as_of")
        )
    return tables


CHECKS = [
    {"asset": "kpi/kpi_scorecard", "check": "gx_kpi_scorecard", "passed": True, "severity": "ERROR"}
]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    con = duckdb.connect(str(base / "warehouse.duckdb"))
    try:
        tables = build_tiny_warehouse(con)
        path = publish_snapshot(
            con,
            base / "publish",
            tables,
            {"run_id": "run-tiny"},
            options=PublishOptions(suppress_below=5, checks=CHECKS),
        )
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def page(snapshot):
    return (snapshot / "scorecard.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return (
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
        .replace("&ndash;", "-")
        .replace("&ge;", ">=")
    )


def test_report_is_in_the_snapshot_and_self_contained(snapshot, page):
    assert (snapshot / "scorecard.html").exists()
    assert page.startswith("<!DOCTYPE html>")
    for external in ("<script", "<link", "@import", "url(", "src=", "http://", "https://"):
        assert external not in page, external


def test_measures_grouped_by_priority_area_in_plan_order(page):
    families = re.findall(r'<h3 class="family">([^<]+)</h3>', page)
    assert families == [
        "Front door",
        "Child protection",
        "Looked-after children",
        "Courts and permanence",
    ]
    for name in NAMES.values():
        assert name in page


def test_latest_month_quarter_year_values_targets_and_rag(page):
    row = page[page.index('<tr id="assessments_45wd">') :]
    row = row[: row.index("</tr>", row.index("</details>"))]
    text = text_of(row)
    # target, then Mar 2024 97.5 G rising, Q4 95.0 G, year 93.75 -> 93.8 A
    assert ">= 95.0%" in text
    assert re.search(r"97\.5% G ▲", text.replace("&#9650;", "▲")), text
    assert "95.0% G" in text and "93.8% A" in text
    assert 'title="39 of 40; Green; improving"' in row
    cp = text_of(page[page.index('<tr id="cp_plans_open">') :].split("</tr>\n", 1)[0])
    assert "135-155" in cp and "142 G" in cp
    assert "65.0" in text_of(page[page.index('<tr id="cla_rate_10k">') :])
    assert "38.0" in text_of(page[page.index('<tr id="care_proceedings_mean_weeks">') :])


def test_england_comparator_latest_as_of(page):
    row = page[page.index('<tr id="cla_rate_10k">') :]
    row = row[: row.index("</tr>", row.index('class="eng"'))]
    assert (
        "71.0" in row and "2024-03-31" in row and "70.0" not in text_of(row.split('class="eng"')[1])
    )


def test_no_england_column_without_the_seed(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        tables = build_tiny_warehouse(con, england=False)
        path = publish_snapshot(con, tmp_path / "publish", tables, {"run_id": "r"})
    finally:
        con.close()
    html = (path / "scorecard.html").read_text()
    assert "<th>England</th>" not in html and "71.0" not in html


def test_drill_down_to_service_area_and_teams_with_suppression(page):
    row = page[page.index('<tr id="assessments_45wd">') :]
    drill = row[row.index("<details>") : row.index("</details>")]
    text = text_of(drill)
    assert "Safeguarding" in text and "Assessment A" in text and "Assessment B" in text
    assert text.index("Safeguarding") < text.index("Assessment A") < text.index("Assessment B")
    assert "100.0% G" in text
    assert "denominator under 5" in drill and "66.7" not in drill and "2 of 3" not in drill
    cp = page[page.index('<tr id="cp_plans_open">') :]
    cp = cp[cp.index("<details>") : cp.index("</details>")]
    assert "count under 5" in cp and "138" in cp


def test_measure_not_available_shows_why_not_a_value_or_rag(tmp_path):
    """cp_visits_10wd needs ssd_cp_visits, which authority 900 never delivered: its rows (every
    period, authority and team T1) have no numerator, value, RAG or direction."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        tables = build_tiny_warehouse(con)
        con.execute("ALTER TABLE kpi.kpi_scorecard ADD COLUMN is_available BOOLEAN DEFAULT true")
        con.execute("ALTER TABLE kpi.kpi_scorecard ADD COLUMN not_available_reason VARCHAR")
        con.execute("""INSERT INTO kpi.kpi_scorecard
            SELECT la_code, 'cp_visits_10wd', 'CP visits within timescale', period_type, period_start, period_end,
                   period_label, breakdown, breakdown_id, breakdown_name, NULL, NULL, NULL, 'percentage', 95.0,
                   NULL, NULL, NULL, NULL, false, 'ssd_cp_visits not delivered'
            FROM kpi.kpi_scorecard WHERE kpi_id = 'assessments_45wd' AND breakdown_id IN ('900', 'T1')""")
        con.execute(
            "INSERT INTO reference.kpi_catalogue VALUES ('cp_visits_10wd', 'CP visits within timescale', "
            "'Child protection', 'percentage', 'up')"
        )
        path = publish_snapshot(con, tmp_path / "publish", tables, {"run_id": "r"})
    finally:
        con.close()
    html = (path / "scorecard.html").read_text()
    row = html[html.index('<tr id="cp_visits_10wd">') :]
    row = row[: row.index("</tr>", row.index("</details>"))]
    text = text_of(row)
    assert "Not available: ssd_cp_visits not delivered" in text
    # authority month, quarter and year, then team T1's month and quarter in the drill-down
    # (its rows copy assessments_45wd's): not available, never a number or "suppressed"
    assert (
        text.count("not available") == 5
        and "suppressed" not in text
        and 'title="not available: ssd_cp_visits not delivered"' in row
    )
    assert '<span class="rag' not in row and "%" not in text.replace(">= 95.0%", "")
    # the other measures are unchanged
    assert "97.5%" in text_of(
        html[html.index('<tr id="assessments_45wd">') :].split("</details>", 1)[0]
    )


def test_header_as_at_and_quality_status(page):
    assert "As at 12 April 2024" in page
    assert "All 1 data-quality checks passed" in page
    assert "fewer than 5" in page


def test_trend_lines_are_inline_svg_for_each_period_type(page):
    row = page[page.index('<tr id="assessments_45wd">') :]
    row = row[: row.index('<td class="trend">') + 5000]
    assert (
        'class="trend t-month"' in row
        and 'class="trend t-quarter"' in row
        and 'class="trend t-year"' in row
    )
    label = re.search(r'class="trend t-month"[^>]*aria-label="([^"]+)"', row).group(1)
    assert label == "Trend, last 3 months: Jan 2024 90.0%, Feb 2024 95.0%, Mar 2024 97.5%"


# ---------------------------------------------------------------- headless browser


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


def png_size_and_colours(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct greyscale levels) of an 8-bit RGB(A) PNG, standard library only."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, _depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    channels = {2: 3, 6: 4}[colour]
    stride = width * channels + 1
    # Filter bytes differ per row, but a page with text has many distinct byte values per row;
    # a blank page (one colour) compresses to rows of zeros under every PNG filter but the first.
    levels = set(raw[stride * 5 : stride * 5 + stride * 200])
    return width, height, len(levels)


@pytest.mark.skipif(
    chromium() is None,
    reason="Chromium is not installed (apt-get install chromium; .ci/run does this)",
)
def test_report_renders_in_headless_chromium(snapshot, tmp_path):
    browser = chromium()
    shot = tmp_path / "scorecard.png"
    profile = tempfile.mkdtemp(prefix="chromium-")
    url = (snapshot / "scorecard.html").as_uri()
    common = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1400,2000",
    ]
    try:
        shot_run = subprocess.run(
            common + [f"--screenshot={shot}", url],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        dom_run = subprocess.run(
            common + ["--dump-dom", url], capture_output=True, text=True, timeout=120, check=False
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert shot.exists() and shot.stat().st_size > 10_000, shot_run.stderr[-2000:]
    width, height, levels = png_size_and_colours(shot)
    assert (width, height) == (1400, 2000)
    assert levels > 10, "screenshot looks blank"
    dom = dom_run.stdout
    # The rendered DOM holds the measures and the values worked out by hand above.
    for expected in (
        "Assessments completed within 45 working days",
        "Children subject to a CP plan",
        "97.5%",
        "93.8%",
        "142",
        "65.0",
        "71.0",
        "38.0",
        "Front door",
        "Child protection",
    ):
        assert expected in dom, expected
    console = [
        line
        for line in (shot_run.stderr + dom_run.stderr).splitlines()
        if "CONSOLE" in line or "Uncaught" in line or "ERR_FILE_NOT_FOUND" in line
    ]
    assert console == [], console
    keep = os.environ.get("CSCW_REPORT_SCREENSHOT")  # keep the picture for a person to look at
    if keep:
        shutil.copyfile(shot, keep)


@pytest.mark.skipif(
    chromium() is None,
    reason="Chromium is not installed (apt-get install chromium; .ci/run does this)",
)
def test_console_error_detection_works(tmp_path):
    """The console check above would catch an error: a page with one is reported."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction()</script></body></html>"
    )
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        run = subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--enable-logging=stderr",
                "--v=0",
                "--dump-dom",
                bad.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert any(
        "CONSOLE" in line and "undefinedFunction" in line for line in run.stderr.splitlines()
    ), run.stderr[-2000:]
