"""The scorecard report as one self-contained HTML file: inline CSS and SVG, no script, no
external fonts, images or styles, so it works offline and from an e-mail attachment.

Layout follows council improvement plans: per authority, the measures grouped by priority area
(the catalogue's `family`), each with target, the latest month, quarter and year (value, RAG
colour with its letter, direction arrow), a 12-period trend line, the England comparator when
there is one, and a drill-down (<details>) to service areas and teams. A measure whose tables
the authority never delivered shows "not available" and why, never a value or a RAG colour.
"""

import math
from datetime import date, datetime
from functools import cache

from jinja2 import Environment

from orchestration.lib.measures import family_order
from orchestration.lib.scorecard_report.data import PERIOD_TYPES, Authority, Cell, Measure
from orchestration.lib.templating import html_environment

# Priority areas in the order improvement plans present them, which is the catalogue's order;
# any other family follows.
FAMILY_ORDER = family_order()
RAG_LETTER = {"Green": "G", "Amber": "A", "Red": "R", "Blue": "B"}
RAG_COLOUR = {"Green": "#00703c", "Amber": "#f47738", "Red": "#d4351c", "Blue": "#1d70b8"}
PERIOD_NAME = {"month": "Month", "quarter": "Quarter", "year": "Year"}
TREND_SLOTS, TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 12, 150, 34, 4


def fmt(value, unit: str | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if unit == "percentage":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{value:,.1f}"


def long_date(value) -> str:
    return value.strftime("%-d %B %Y") if isinstance(value, (date, datetime)) else str(value)


def _stamp(value) -> str:
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%S%fZ").strftime("%-d %B %Y %H:%M UTC")
    except (TypeError, ValueError):
        return "" if value is None else str(value)


def cell_title(c: Cell, unit: str) -> str:
    """The hover text of a value: 'n of d; RAG; direction'."""
    parts = []
    if c.numerator is not None and c.denominator is not None and unit != "count":
        parts.append(f"{fmt(c.numerator, 'count')} of {fmt(c.denominator, 'count')}")
    parts += [p for p in (c.rag, c.direction) if p]
    return "; ".join(parts)


def trend_line(m: Measure, period_type: str) -> dict:
    """Geometry of the inline SVG trend of up to 12 periods (the latest at the right edge; gaps
    where a value is missing or suppressed; the target as a dashed line)."""
    points = m.trend.get(period_type, [])
    label = f"Trend, last {len(points)} {period_type}s: " + ", ".join(
        f"{p} {fmt(v, m.unit) or 'no value'}" for p, v, _ in points
    )
    line = {
        "period_type": period_type,
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "pad": TREND_PAD,
        "label": label,
        "target_y": None,
        "segments": [],
        "last": None,
    }
    values = [v for _, v, _ in points if v is not None]
    if not values:
        return line
    scale = values + ([m.target] if m.target is not None else [])
    lo, hi = min(scale), max(scale)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    step = (TREND_WIDTH - 2 * TREND_PAD) / (TREND_SLOTS - 1)
    offset = TREND_SLOTS - len(points)

    def xy(i, v):
        return TREND_PAD + (offset + i) * step, TREND_PAD + (hi - v) / (hi - lo) * (
            TREND_HEIGHT - 2 * TREND_PAD
        )

    segment: list = []
    for i, (_, v, _) in enumerate(points):
        if v is None:
            if segment:
                line["segments"].append(segment)
            segment = []
        else:
            segment.append(xy(i, v))
    if segment:
        line["segments"].append(segment)
    if m.target is not None:
        line["target_y"] = xy(0, m.target)[1]
    _, last_value, last_rag = points[-1]
    if last_value is not None:
        line["last"] = (*xy(len(points) - 1, last_value), RAG_COLOUR.get(last_rag, "#0b0c0c"))
    return line


def by_family(measures: list[Measure]) -> list[tuple[str, list[Measure]]]:
    families: dict[str, list] = {}
    for m in measures:
        families.setdefault(m.family, []).append(m)
    order = sorted(
        families,
        key=lambda f: (FAMILY_ORDER.index(f), "") if f in FAMILY_ORDER else (len(FAMILY_ORDER), f),
    )
    return [(f, families[f]) for f in order]


@cache
def _environment() -> Environment:
    return html_environment(
        "orchestration.lib.scorecard_report",
        filters={"fmt": fmt, "long_date": long_date},
        globals={
            "period_types": PERIOD_TYPES,
            "period_name": PERIOD_NAME,
            "rag_letter": RAG_LETTER,
            "cell_title": cell_title,
            "trend_line": trend_line,
            "by_family": by_family,
            "level": lambda a, b: abs(a - b) < 1e-12,
            "failed_names": lambda failed: ", ".join(
                f"{c.get('check')} ({c.get('severity', '').lower()})" for c in failed
            ),
        },
    )


def render_html(authorities: list[Authority], manifest: dict) -> str:
    suppression = manifest.get("suppression") or {}
    return (
        _environment()
        .get_template("scorecard.html.j2")
        .render(
            authorities=authorities,
            manifest=manifest,
            checks=manifest.get("checks") or [],
            quality_link=manifest.get("quality_report"),
            below=suppression.get("below"),
            published_at=_stamp(manifest.get("published_at")),
            show_england=any(m.england for a in authorities for m in a.measures),
        )
    )
