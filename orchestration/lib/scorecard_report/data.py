"""Read what the scorecard report shows from a published snapshot (never the live warehouse).

Every number comes from `kpi_scorecard` (values, numerators, denominators, targets, RAG,
direction, and whether the measure is available: a table it needs may never have been
delivered); labels come from `kpi_catalogue` (family = priority area, polarity), `dim_team`
(which service area a team belongs to) and `dim_authority` (data date); the England comparator
from `england_comparators` when the snapshot has it. Queries are per authority and fetch only
the latest period of each type, and the last TREND_PERIODS at authority level.
"""

from dataclasses import dataclass, field

PERIOD_TYPES = ("month", "quarter", "year")
TREND_PERIODS = 12


@dataclass
class Cell:
    value: float | None
    numerator: float | None
    denominator: float | None
    rag: str | None
    direction: str | None
    suppressed: bool = False
    suppression_reason: str | None = None
    available: bool = True
    not_available_reason: str | None = None


@dataclass
class Measure:
    kpi_id: str
    kpi_name: str
    family: str
    unit: str
    polarity: str | None
    target: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    latest: dict = field(default_factory=dict)  # period_type -> Cell
    previous: dict = field(default_factory=dict)  # period_type -> value of the period before
    trend: dict = field(default_factory=dict)  # period_type -> [(label, value, rag)]
    areas: list = field(default_factory=list)  # [(breakdown, id, name, depth, {period_type: Cell})]
    england: tuple | None = None  # (value, as_of, source)
    not_available_reason: str | None = (
        None  # set when a table the measure needs was never delivered
    )


@dataclass
class Authority:
    la_code: str
    as_at: object
    period_labels: dict  # period_type -> label of the latest complete period
    measures: list


def _tables(con) -> set[str]:
    return {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }


def _columns(con, table: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}


def _cell(row: dict) -> Cell:
    return Cell(
        row["value"],
        row["numerator"],
        row["denominator"],
        row["rag"],
        row["direction"],
        bool(row.get("suppressed")),
        row.get("suppression_reason"),
        row.get("is_available") is not False,
        row.get("not_available_reason"),
    )


def _availability_columns(columns: set[str]) -> str:
    """Snapshots published before measures could be not available have no such columns."""
    if "is_available" in columns:
        return "is_available, not_available_reason"
    return "true AS is_available, NULL AS not_available_reason"


def _dicts(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def load_authorities(con) -> list[Authority]:
    tables = _tables(con)
    sc_cols = _columns(con, "kpi_scorecard")
    supp = (
        "suppressed, suppression_reason"
        if "suppressed" in sc_cols
        else "false AS suppressed, NULL AS suppression_reason"
    )
    supp += ", " + _availability_columns(sc_cols)
    catalogue = {}
    if "kpi_catalogue" in tables:
        cat_cols = _columns(con, "kpi_catalogue")
        family = "family" if "family" in cat_cols else "NULL"
        polarity = "polarity" if "polarity" in cat_cols else "NULL"
        for kpi_id, fam, pol in con.execute(
            f"SELECT kpi_id, {family}, {polarity} FROM kpi_catalogue"
        ).fetchall():
            catalogue[kpi_id] = (fam, pol)
    england = {}
    if "england_comparators" in tables:
        rows = con.execute(
            "SELECT kpi_id, england_value, as_of, source FROM england_comparators "
            "QUALIFY row_number() OVER (PARTITION BY kpi_id ORDER BY as_of DESC NULLS LAST) = 1"
        ).fetchall()
        england = {r[0]: (r[1], r[2], r[3]) for r in rows}
    as_at = {}
    if "dim_authority" in tables and "as_at_date" in _columns(con, "dim_authority"):
        as_at = dict(con.execute("SELECT la_code, as_at_date FROM dim_authority").fetchall())
    team_parent = {}
    if "dim_team" in tables and {"team_id", "service_area_id"} <= _columns(con, "dim_team"):
        for la, team, area in con.execute(
            "SELECT la_code, team_id, service_area_id FROM dim_team"
        ).fetchall():
            team_parent[(la, str(team))] = str(area)

    result = []
    for (la_code,) in con.execute(
        "SELECT DISTINCT la_code FROM kpi_scorecard ORDER BY 1"
    ).fetchall():
        latest = _dicts(
            con.execute(
                "SELECT period_type, max(period_start) AS period_start, arg_max(period_label, period_start) AS label, "
                "max(period_end) AS period_end FROM kpi_scorecard WHERE la_code = ? GROUP BY 1",
                [la_code],
            )
        )
        starts = {r["period_type"]: r["period_start"] for r in latest}
        labels = {r["period_type"]: r["label"] for r in latest}
        month_end = next((r["period_end"] for r in latest if r["period_type"] == "month"), None)
        measures: dict[str, Measure] = {}

        # Authority level: the last TREND_PERIODS of each type (the latest is the headline).
        rows = _dicts(
            con.execute(
                f"""SELECT kpi_id, kpi_name, unit, period_type, period_start, period_label, numerator, denominator,
                       value, target, target_low, target_high, rag, direction, {supp},
                       row_number() OVER (PARTITION BY kpi_id, period_type ORDER BY period_start DESC) AS age
                FROM kpi_scorecard WHERE la_code = ? AND breakdown = 'la'
                QUALIFY age <= {TREND_PERIODS}
                ORDER BY kpi_id, period_type, period_start""",
                [la_code],
            )
        )
        for r in rows:
            fam, pol = catalogue.get(r["kpi_id"], (None, None))
            m = measures.get(r["kpi_id"])
            if m is None:
                m = measures[r["kpi_id"]] = Measure(
                    r["kpi_id"],
                    r["kpi_name"],
                    fam or "Other measures",
                    r["unit"],
                    pol,
                    england=england.get(r["kpi_id"]),
                )
            m.trend.setdefault(r["period_type"], []).append(
                (r["period_label"], r["value"], r["rag"])
            )
            if r["is_available"] is False:
                m.not_available_reason = r["not_available_reason"]
            if r["age"] == 1 and r["period_start"] == starts.get(r["period_type"]):
                m.latest[r["period_type"]] = _cell(r)
                if r["period_type"] == "month" or m.target is None:
                    m.target, m.target_low, m.target_high = (
                        r["target"],
                        r["target_low"],
                        r["target_high"],
                    )
            if r["age"] == 2:
                m.previous[r["period_type"]] = r["value"]

        # Drill-down: service areas and teams, latest period of each type.
        rows = _dicts(
            con.execute(
                f"""SELECT s.kpi_id, s.period_type, s.breakdown, s.breakdown_id, s.breakdown_name,
                       s.numerator, s.denominator, s.value, s.rag, s.direction, {supp}
                FROM kpi_scorecard s
                JOIN (SELECT period_type, max(period_start) AS period_start FROM kpi_scorecard
                      WHERE la_code = ? GROUP BY 1) latest USING (period_type, period_start)
                WHERE s.la_code = ? AND s.breakdown IN ('service_area', 'team')
                ORDER BY s.kpi_id, s.breakdown_name, s.breakdown_id""",
                [la_code, la_code],
            )
        )
        drill: dict[str, dict] = {}
        for r in rows:
            key = (r["breakdown"], str(r["breakdown_id"]))
            entry = drill.setdefault(r["kpi_id"], {}).setdefault(key, [r["breakdown_name"], {}])
            entry[1][r["period_type"]] = _cell(r)
        for kpi_id, areas in drill.items():
            if kpi_id not in measures:
                continue
            ordered = []
            service_areas = sorted(
                (k for k in areas if k[0] == "service_area"),
                key=lambda k: (areas[k][0] or "", k[1]),
            )
            placed = set()
            for sa in service_areas:
                ordered.append(("service_area", sa[1], areas[sa][0], 0, areas[sa][1]))
                for team in sorted(
                    (
                        k
                        for k in areas
                        if k[0] == "team" and team_parent.get((la_code, k[1])) == sa[1]
                    ),
                    key=lambda k: (areas[k][0] or "", k[1]),
                ):
                    ordered.append(("team", team[1], areas[team][0], 1, areas[team][1]))
                    placed.add(team)
            for team in sorted(
                (k for k in areas if k[0] == "team" and k not in placed),
                key=lambda k: (areas[k][0] or "", k[1]),
            ):
                ordered.append(
                    ("team", team[1], areas[team][0], 1 if service_areas else 0, areas[team][1])
                )
            measures[kpi_id].areas = ordered

        result.append(
            Authority(
                la_code,
                as_at.get(la_code) or month_end,
                labels,
                sorted(measures.values(), key=lambda m: m.kpi_id),
            )
        )
    return result
