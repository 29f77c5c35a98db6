"""The measure registry (seeds/kpi_catalogue.csv), read once for the Python side.

Everything the pipeline knows about a measure is one catalogue row; the dbt side reads the same
seed (dbt_project/macros/measure_registry.sql). dbt must know the detail models a model refers
to when it parses, before the seed is loaded into the warehouse, so the ids of the measures
with a detail model of their own are handed to it in the environment (`CSCW_MEASURES`).
"""

import csv
import os
from dataclasses import dataclass

from orchestration.lib.settings import REPO_ROOT

CATALOGUE_CSV = REPO_ROOT / "seeds" / "kpi_catalogue.csv"
DBT_ENV_VAR = "CSCW_MEASURES"


@dataclass(frozen=True)
class Measure:
    kpi_id: str
    family: str
    unit: str
    kind: str
    detail_of: str | None
    may_exceed_100: bool

    @property
    def detail_model(self) -> str:
        return f"kpi_{self.detail_of or self.kpi_id}_detail"


def measures() -> tuple[Measure, ...]:
    """Every catalogue row, in catalogue order (read afresh: a long-lived process sees edits)."""
    with open(CATALOGUE_CSV, newline="", encoding="utf-8") as f:
        return tuple(
            Measure(
                row["kpi_id"],
                row["family"],
                row["unit"],
                row["kind"],
                row["detail_of"] or None,
                row["may_exceed_100"].strip().lower() == "true",
            )
            for row in csv.DictReader(f)
        )


def may_exceed_100() -> tuple[str, ...]:
    """Percentages whose numerator is not a subset of the denominator (the gate lets them pass 100)."""
    return tuple(m.kpi_id for m in measures() if m.may_exceed_100)


def family_order() -> tuple[str, ...]:
    """Families in the order they first appear in the catalogue (the report's order)."""
    return tuple(dict.fromkeys(m.family for m in measures()))


def dbt_environ() -> dict[str, str]:
    """What dbt's parser needs from the registry: the measures with their own detail model."""
    return {DBT_ENV_VAR: " ".join(m.kpi_id for m in measures() if not m.detail_of)}


def export_to_dbt() -> None:
    """Put the registry's ids into this process's environment, for the dbt it starts."""
    os.environ.update(dbt_environ())
