"""The scorecard report as one self-contained HTML file: inline CSS and SVG, no script, no
external fonts, images or styles, so it works offline and from an e-mail attachment.

Layout follows council improvement plans: per authority, the measures grouped by priority area
(the catalogue's `family`), each with target, the latest month, quarter and year (value, RAG
colour with its letter, direction arrow), a 12-period trend line, the England comparator when
there is one, and a drill-down (<details>) to service areas and teams. A measure whose tables
the authority never delivered shows "not available" and why, never a value or a RAG colour.
"""

import html
import math
from datetime import date, datetime

from orchestration.lib.report.data import PERIOD_TYPES, Authority, Cell, Measure

# Priority areas in the order improvement plans present them; any other family follows.
FAMILY_ORDER = ("Front door", "Child protection", "Children in need", "Looked-after children",
                "Child exploitation", "Courts and permanence", "Workforce and practice quality",
                "Early help and context")
RAG_LETTER = {"Green": "G", "Amber": "A", "Red": "R", "Blue": "B"}
PERIOD_NAME = {"month": "Month", "quarter": "Quarter", "year": "Year"}

CSS = """
:root{--g:#00703c;--a:#f47738;--r:#d4351c;--b:#1d70b8;--ink:#0b0c0c;--mute:#505a5f;--line:#b1b4b6;--bg:#f3f2f1}
*{box-sizing:border-box}
body{font-family:Arial,Helvetica,sans-serif;color:var(--ink);margin:0;background:#fff;font-size:15px}
header.top{background:#0b0c0c;color:#fff;padding:14px 24px}
header.top h1{margin:0;font-size:24px}
header.top p{margin:4px 0 0;color:#dcdcdc}
.controls{padding:10px 24px;background:var(--bg);border-bottom:1px solid var(--line)}
.controls label{margin-right:14px;cursor:pointer}
.pt{position:absolute;opacity:0}
#pt-month:checked ~ .controls label[for=pt-month],#pt-quarter:checked ~ .controls label[for=pt-quarter],
#pt-year:checked ~ .controls label[for=pt-year]{font-weight:bold;text-decoration:underline}
.t-quarter,.t-year{display:none}
#pt-quarter:checked ~ main .t-month,#pt-year:checked ~ main .t-month{display:none}
#pt-quarter:checked ~ main .t-quarter,#pt-year:checked ~ main .t-year{display:inline-block}
main{padding:8px 24px 40px}
nav.las a{margin-right:12px}
section.la{margin-top:18px;border-top:4px solid var(--ink);padding-top:6px}
section.la h2{margin:6px 0}
.meta{color:var(--mute);margin:2px 0 10px}
.status{display:inline-block;padding:2px 8px;border-radius:3px;color:#fff;font-weight:bold}
.status.ok{background:var(--g)}.status.warn{background:var(--a)}
h3.family{margin:18px 0 4px;font-size:18px;border-bottom:2px solid var(--line);padding-bottom:2px}
table.sc{border-collapse:collapse;width:100%;table-layout:fixed}
table.sc th,table.sc td{border-bottom:1px solid #e0e0e0;padding:5px 6px;text-align:left;vertical-align:top}
table.sc th{font-size:13px;color:var(--mute);font-weight:normal}
table.sc td.v{white-space:nowrap;width:120px}
table.sc th:nth-child(1){width:30%}table.sc th:nth-child(2){width:9%}table.sc th:nth-child(6){width:170px}
.num{font-weight:bold;font-variant-numeric:tabular-nums}
.legend .rag{margin:0 3px 0 8px}
.rag{display:inline-block;min-width:20px;text-align:center;border-radius:3px;color:#fff;font-size:12px;font-weight:bold;padding:1px 4px;margin-left:4px}
.rag.Green{background:var(--g)}.rag.Amber{background:var(--a)}.rag.Red{background:var(--r)}.rag.Blue{background:var(--b)}
.arrow{margin-left:4px;font-size:13px}
.arrow.improving{color:var(--g)}.arrow.worsening{color:var(--r)}.arrow.unchanged{color:var(--mute)}
.supp{color:var(--mute);font-style:italic;font-size:13px}
.na{color:var(--mute);font-style:italic;font-size:13px}
div.na{font-size:12px}
.none{color:var(--mute)}
.target,.eng{white-space:nowrap;color:var(--ink)}
.small{font-size:12px;color:var(--mute)}
details summary{cursor:pointer}
details table{border-collapse:collapse;margin:6px 0 4px;font-size:13px}
details table td,details table th{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}
tr.team td:first-child{padding-left:22px}
tr.service_area td:first-child{font-weight:bold}
.legend span{margin-right:12px}
footer{color:var(--mute);font-size:13px;padding:0 24px 30px}
svg.trend{vertical-align:middle}
@media print{.controls{display:none}details{display:block}}
"""


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def fmt(value, unit: str | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if unit == "percentage":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{value:,.1f}"


def fmt_target(m: Measure) -> str:
    if m.target_low is not None and m.target_high is not None:
        return f"{fmt(m.target_low, m.unit)}&ndash;{fmt(m.target_high, m.unit)}"
    if m.target is None:
        return '<span class="none">none</span>'
    sign = {"up": "&ge; ", "down": "&le; "}.get(m.polarity or "", "")
    return sign + esc(fmt(m.target, m.unit))


def arrow(value, previous, direction) -> str:
    if direction is None:
        return ""
    if value is None or previous is None or abs(value - previous) < 1e-12 or direction == "unchanged":
        glyph = "&#9654;"  # ▶ level
    else:
        glyph = "&#9650;" if value > previous else "&#9660;"  # ▲ ▼ movement of the value
    return f'<span class="arrow {esc(direction)}" title="{esc(direction)}">{glyph}</span>'


def cell(c: Cell | None, unit: str, previous=None) -> str:
    if c is None:
        return '<td class="v"><span class="none">&ndash;</span></td>'
    if not c.available:
        reason = c.not_available_reason or "a table it needs was not delivered"
        return f'<td class="v"><span class="na" title="not available: {esc(reason)}">not available</span></td>'
    if c.suppressed:
        reason = c.suppression_reason or "small number"
        return f'<td class="v"><span class="supp" title="suppressed: {esc(reason)}">suppressed</span></td>'
    if c.value is None:
        return '<td class="v"><span class="none" title="nothing to measure in the period">&ndash;</span></td>'
    parts = []
    if c.numerator is not None and c.denominator is not None and unit not in ("count",):
        parts.append(f"{fmt(c.numerator, 'count')} of {fmt(c.denominator, 'count')}")
    if c.rag:
        parts.append(c.rag)
    if c.direction:
        parts.append(c.direction)
    rag = f'<span class="rag {esc(c.rag)}">{RAG_LETTER.get(c.rag, esc(c.rag))}</span>' if c.rag else ""
    return (f'<td class="v" title="{esc("; ".join(parts))}"><span class="num">{esc(fmt(c.value, unit))}</span>'
            f"{rag}{arrow(c.value, previous, c.direction)}</td>")


def sparkline(points: list, unit: str, target=None, period_type: str = "month", width: int = 150, height: int = 34) -> str:
    """Inline SVG trend line of up to 12 periods; gaps where a value is missing or suppressed."""
    values = [v for _, v, _ in points if v is not None]
    label = f"Trend, last {len(points)} {period_type}s: " + ", ".join(
        f"{p} {fmt(v, unit) or 'no value'}" for p, v, _ in points)
    if not values:
        return (f'<svg class="trend t-{period_type}" width="{width}" height="{height}" role="img" '
                f'aria-label="{esc(label)}"><title>{esc(label)}</title></svg>')
    scale = values + ([target] if target is not None else [])
    lo, hi = min(scale), max(scale)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    pad, slots = 4, 12
    step = (width - 2 * pad) / (slots - 1)
    offset = slots - len(points)  # the latest period sits at the right edge

    def xy(i, v):
        return pad + (offset + i) * step, pad + (hi - v) / (hi - lo) * (height - 2 * pad)

    segments, current = [], []
    for i, (_, v, _) in enumerate(points):
        if v is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(xy(i, v))
    if current:
        segments.append(current)
    svg = [f'<svg class="trend t-{period_type}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="{esc(label)}"><title>{esc(label)}</title>']
    if target is not None:
        y = xy(0, target)[1]
        svg.append(f'<line x1="{pad}" x2="{width - pad}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6" stroke-dasharray="3 3"/>')
    for seg in segments:
        if len(seg) == 1:
            x, y = seg[0]
            svg.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.5" fill="#0b0c0c"/>')
        else:
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in seg)
            svg.append(f'<polyline points="{pts}" fill="none" stroke="#0b0c0c" stroke-width="1.5"/>')
    last_label, last_value, last_rag = points[-1]
    if last_value is not None:
        x, y = xy(len(points) - 1, last_value)
        colour = {"Green": "#00703c", "Amber": "#f47738", "Red": "#d4351c", "Blue": "#1d70b8"}.get(last_rag, "#0b0c0c")
        svg.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    svg.append("</svg>")
    return "".join(svg)


def drill(m: Measure, labels: dict) -> str:
    if not m.areas:
        return ""
    head = "".join(f"<th>{PERIOD_NAME[p]} {esc(labels.get(p, ''))}</th>" for p in PERIOD_TYPES)
    rows = []
    for breakdown, _id, name, _depth, cells in m.areas:
        kind = "Service area" if breakdown == "service_area" else "Team"
        rows.append(f'<tr class="{breakdown}"><td title="{kind}">{esc(name)}</td>'
                    + "".join(cell(cells.get(p), m.unit) for p in PERIOD_TYPES) + "</tr>")
    return (f"<details><summary>{esc(m.kpi_name)}</summary>"
            f'<table><thead><tr><th>Service area / team</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            "</details>")


def measure_row(m: Measure, labels: dict, show_england: bool) -> str:
    name = drill(m, labels) or esc(m.kpi_name)
    not_available = (f'<div class="na">Not available: {esc(m.not_available_reason)}</div>'
                     if m.not_available_reason else "")
    tds = [f'<td class="measure">{name}<div class="small">{esc(m.kpi_id)}</div>{not_available}</td>',
           f'<td class="target">{fmt_target(m)}</td>']
    tds += [cell(m.latest.get(p), m.unit, m.previous.get(p)) for p in PERIOD_TYPES]
    trends = "".join(sparkline(m.trend.get(p, []), m.unit, m.target, p) for p in PERIOD_TYPES)
    tds.append(f'<td class="trend">{trends}</td>')
    if show_england:
        if m.england and m.england[0] is not None:
            value, as_of, source = m.england
            tds.append(f'<td class="eng" title="England {esc(as_of)}; {esc(source)}">{esc(fmt(value, m.unit))}'
                       f'<div class="small">{esc(as_of)}</div></td>')
        else:
            tds.append('<td class="eng"><span class="none">&ndash;</span></td>')
    return f'<tr id="{esc(m.kpi_id)}">{"".join(tds)}</tr>'


def _family_key(family: str):
    return (FAMILY_ORDER.index(family), "") if family in FAMILY_ORDER else (len(FAMILY_ORDER), family)


def _date(value) -> str:
    if isinstance(value, (date, datetime)):
        return value.strftime("%-d %B %Y")
    return esc(value)


def _stamp(value) -> str:
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%S%fZ").strftime("%-d %B %Y %H:%M UTC")
    except (TypeError, ValueError):
        return esc(value)


def quality_status(checks: list) -> str:
    if not checks:
        return ""
    failed = [c for c in checks if not c.get("passed")]
    if not failed:
        return f'<span class="status ok">All {len(checks)} data-quality checks passed</span>'
    names = ", ".join(f"{c.get('check')} ({c.get('severity', '').lower()})" for c in failed)
    return (f'<span class="status warn">{len(checks) - len(failed)} of {len(checks)} data-quality checks passed</span> '
            f'<span class="small">not passed: {esc(names)}</span>')


def authority_section(a: Authority, show_england: bool) -> str:
    head = "".join(f"<th>{PERIOD_NAME[p]}<br>{esc(a.period_labels.get(p, ''))}</th>" for p in PERIOD_TYPES)
    england = "<th>England</th>" if show_england else ""
    header = f"<thead><tr><th>Measure</th><th>Target</th>{head}<th>Trend (12 periods)</th>{england}</tr></thead>"
    families: dict[str, list] = {}
    for m in a.measures:
        families.setdefault(m.family, []).append(m)
    body = []
    for family in sorted(families, key=_family_key):
        rows = "".join(measure_row(m, a.period_labels, show_england) for m in families[family])
        body.append(f'<h3 class="family">{esc(family)}</h3><table class="sc">{header}<tbody>{rows}</tbody></table>')
    return (f'<section class="la" id="la-{esc(a.la_code)}"><h2>Authority {esc(a.la_code)}</h2>'
            f'<p class="meta">As at {_date(a.as_at)} &middot; {len(a.measures)} measures &middot; '
            f"latest complete month {esc(a.period_labels.get('month', ''))}, quarter "
            f"{esc(a.period_labels.get('quarter', ''))}, year {esc(a.period_labels.get('year', ''))}</p>"
            + "".join(body) + "</section>")


def render_html(authorities: list[Authority], manifest: dict) -> str:
    show_england = any(m.england for a in authorities for m in a.measures)
    checks = manifest.get("checks") or []
    suppression = manifest.get("suppression") or {}
    below = suppression.get("below")
    nav = " ".join(f'<a href="#la-{esc(a.la_code)}">{esc(a.la_code)}</a>' for a in authorities)
    status = quality_status(checks)
    quality_link = manifest.get("quality_report")
    radios = "".join(
        f'<input class="pt" type="radio" name="pt" id="pt-{p}"{" checked" if p == "month" else ""}>' for p in PERIOD_TYPES)
    labels = "".join(f'<label for="pt-{p}">{PERIOD_NAME[p]}s</label>' for p in PERIOD_TYPES)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Children's social care scorecard</title>
<style>{CSS}</style></head>
<body>
{radios}
<header class="top"><h1>Children's social care improvement scorecard</h1>
<p>Published {_stamp(manifest.get('published_at'))} &middot; run {esc(manifest.get('run_id', ''))}</p></header>
<div class="controls"><strong>Trend by:</strong> {labels}
<span class="legend small">&nbsp; RAG: <span class="rag Green">G</span> met target
<span class="rag Amber">A</span> within tolerance <span class="rag Red">R</span> beyond
<span class="rag Blue">B</span> met three periods running &middot; &#9650;&#9660; movement, coloured green improving /
red worsening</span></div>
<main>
<p>{status}{f' <a href="{esc(quality_link)}">data-quality report</a>' if status and quality_link else ''}</p>
<nav class="las">Authorities: {nav}</nav>
{"".join(authority_section(a, show_england) for a in authorities)}
</main>
<footer><p>Every value, target, RAG rating and direction comes from the published <code>kpi_scorecard</code>
table of this snapshot. Click a measure to see its service areas and teams.
{f'Team and service-area figures based on fewer than {esc(below)} children or units are suppressed.' if below else ''}
A measure shown as <em>not available</em> needs a table the authority has not delivered: it is not a
failure of practice, and has no value or RAG rating.
{' England comparators are from the england_comparators reference table.' if show_england else ''}</p></footer>
</body></html>
"""
