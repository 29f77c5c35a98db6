"""Settings from the environment, with defaults that keep everything in one ignored working folder.

| variable               | default                          | what                                    |
|------------------------|----------------------------------|-----------------------------------------|
| CSCW_HOME              | <repo>/.cscw                     | working folder for everything generated |
| CSCW_LANDING           | $CSCW_HOME/landing               | landing area <la_code>/<date>/<table>   |
| CSCW_WAREHOUSE         | $CSCW_HOME/warehouse.duckdb      | the DuckDB warehouse (one writer)       |
| CSCW_PUBLISH_DIR       | $CSCW_HOME/publish               | published snapshots for BI              |
| CSCW_QUALITY_DIR       | $CSCW_HOME/quality               | data-quality reports and GX Data Docs   |
| CSCW_ANNEX_A_SCHEMA    | (none: coded values unchecked)   | the published Annex A schema (YAML)     |
| CSCW_RESTRICTED_DIR    | $CSCW_HOME/restricted            | identified outputs (Annex A, managers'  |
|                        |                                  | lists): never read by BI (privacy.md)   |
| DAGSTER_HOME           | $CSCW_HOME/dagster               | Dagster instance (runs, check results)  |
| (not a setting)        | $CSCW_HOME/logs                  | each run's log: dbt's and Dagster's own |
| CSCW_PSEUDONYM_KEY     | a documented demo key            | secret for pseudonymous keys            |
| CSCW_DUCKDB_MEMORY     | 6GB                              | DuckDB memory_limit (spills beyond it)  |
| CSCW_DUCKDB_THREADS    | 2                                | DuckDB threads                          |
| CSCW_DBT_THREADS       | the machine's cores              | dbt threads (nodes run at once)         |
| CSCW_INGEST_WORKERS    | the machine's cores              | authorities (or tables) staged at once  |
| CSCW_PUBLISH_KEEP      | 5                                | published snapshots kept                |
| CSCW_CALENDAR_YEARS    | 2000-2040                        | years the working-day calendar covers   |
| CSCW_RETURN_SCHEMAS    | (none: returns not validated)    | folder of the DfE XSDs of the returns   |
| CSCW_XML_MAX_MB        | 512                              | larger return XML files are refused     |
| CSCW_LANDING_SETTLE_SECONDS | 60                     | newer landing files wait for a later run |
| CSCW_DFE_VALIDATORS    | off                              | run the DfE validators on return files  |
| CSCW_DFE_VENV          | ~/.cache/cscw/dfe-validators/venv| their own environment, built on first use|
| CSCW_DFE_TIMEOUT       | 600                              | seconds one validator run may take      |
| CSCW_MANAGER_LISTS     | off                              | write the managers' overdue lists (into |
|                        |                                  | CSCW_RESTRICTED_DIR) after each run     |
| CSCW_ENGINE            | duckdb                           | the engine dbt builds on: duckdb or     |
|                        |                                  | spark (`cscw run --engine`, scale.md)   |
| CSCW_RAW_PARQUET       | $CSCW_HOME/raw-parquet           | the raw layer as Parquet (engine spark) |
"""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
DAGSTER_YAML = REPO_ROOT / "dagster.yaml"


def dbt_target_dir() -> Path:
    """dbt's target folder (manifest, compiled SQL); DBT_TARGET_PATH moves it, as dbt itself does."""
    return Path(os.environ.get("DBT_TARGET_PATH") or DBT_PROJECT_DIR / "target")


# Publicly documented, so it protects nothing: for synthetic demo data only.
DEMO_PSEUDONYM_KEY = "csc-warehouse-demo-key-not-for-real-data"

# Telemetry off for every tool this process starts (dbt runs as a subprocess and inherits).
TELEMETRY_OFF = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "DAGSTER_DISABLE_TELEMETRY": "1",
}
for _k, _v in TELEMETRY_OFF.items():
    os.environ.setdefault(_k, _v)


DEFAULT_DFE_VENV = Path("~/.cache/cscw/dfe-validators/venv").expanduser()
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_flag(name: str, default: bool, env: dict | None = None) -> bool:
    """An on/off setting: unset or empty = the default; a word it cannot read is an error, not
    a silent "off" (a typo must not turn a safeguard or an output off)."""
    env = os.environ if env is None else env
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ValueError(f"{name} must be one of {', '.join(TRUE_WORDS + FALSE_WORDS)}, not {raw!r}")


@dataclass(frozen=True)
class Settings:
    home: Path
    landing: Path
    warehouse: Path
    publish_dir: Path
    quality_dir: Path
    restricted_dir: Path
    dagster_home: Path
    pseudonym_key: str
    duckdb_memory: str
    duckdb_threads: int
    publish_keep: int
    calendar_first_year: int
    calendar_last_year: int
    return_schemas: Path | None = None  # CIN_schema_<year>.xsd, social_work_workforce_<year>.xsd
    xml_max_mb: int = 512
    landing_settle_seconds: float = 60.0
    # The DfE validators (docs/dfe_validators.md): off unless asked for, in their own environment.
    dfe_validators: bool = False
    dfe_venv: Path = DEFAULT_DFE_VENV
    dfe_timeout: int = 600
    # liia-tools-pipeline's Annex_A_schema.yml: the allowed values `cscw annex-a --check` checks coded cells against
    annex_a_schema: Path | None = None
    # The managers' identified overdue lists after each published run (lib/manager_lists.py).
    manager_lists: bool = False
    # dbt's threads (profiles.yml): nodes run at once; the time a run takes, not its output. The
    # cores by default: while one node's SQL runs in DuckDB, dbt renders the next (docs/development.md).
    dbt_threads: int = 1
    # Authorities read at once by ingestion (lib/ingest/loader.py); not an output setting either.
    ingest_workers: int = 1
    # The engine dbt builds on (docs/scale.md): duckdb in the warehouse itself, or spark from the
    # raw layer written as Parquet under raw_parquet (lib/engines/raw_parquet.py).
    engine: str = "duckdb"
    raw_parquet: Path | None = None

    @property
    def log_dir(self) -> Path:
        """`cscw run`'s log files, one a run (dbt's and Dagster's own output): run-<run id>.log."""
        return self.home / "logs"

    @property
    def uses_demo_key(self) -> bool:
        return self.pseudonym_key == DEMO_PSEUDONYM_KEY

    def as_environ(self) -> dict[str, str]:
        """The environment that reproduces these settings in a child process (dbt, dagster dev)."""
        return {
            "CSCW_HOME": str(self.home),
            "CSCW_LANDING": str(self.landing),
            "CSCW_WAREHOUSE": str(self.warehouse),
            "CSCW_PUBLISH_DIR": str(self.publish_dir),
            "CSCW_QUALITY_DIR": str(self.quality_dir),
            "CSCW_RESTRICTED_DIR": str(self.restricted_dir),
            "DAGSTER_HOME": str(self.dagster_home),
            "CSCW_DUCKDB_MEMORY": self.duckdb_memory,
            "CSCW_DUCKDB_THREADS": str(self.duckdb_threads),
            "CSCW_PUBLISH_KEEP": str(self.publish_keep),
            "CSCW_CALENDAR_YEARS": f"{self.calendar_first_year}-{self.calendar_last_year}",
            "CSCW_RETURN_SCHEMAS": str(self.return_schemas or ""),
            "CSCW_XML_MAX_MB": str(self.xml_max_mb),
            "CSCW_LANDING_SETTLE_SECONDS": f"{self.landing_settle_seconds:g}",
            "CSCW_DFE_VALIDATORS": "on" if self.dfe_validators else "off",
            "CSCW_DFE_VENV": str(self.dfe_venv),
            "CSCW_DFE_TIMEOUT": str(self.dfe_timeout),
            "CSCW_ANNEX_A_SCHEMA": str(self.annex_a_schema or ""),
            "CSCW_MANAGER_LISTS": "on" if self.manager_lists else "off",
            "CSCW_DBT_THREADS": str(self.dbt_threads),
            "CSCW_INGEST_WORKERS": str(self.ingest_workers),
            "CSCW_ENGINE": self.engine,
            "CSCW_RAW_PARQUET": str(self.raw_parquet or self.home / "raw-parquet"),
        }


def _cores() -> int:
    """The machine's cores (one where Python cannot tell): the default of the work run at once."""
    return os.cpu_count() or 1


def _path(env: dict, name: str, default: Path | None) -> Path | None:
    value = env.get(name)
    return Path(value).expanduser().resolve() if value else default


def load_settings(env: dict | None = None) -> Settings:
    env = os.environ if env is None else env
    home = _path(env, "CSCW_HOME", REPO_ROOT / ".cscw")
    first_year, _, last_year = env.get("CSCW_CALENDAR_YEARS", "2000-2040").partition("-")
    return Settings(
        home=home,
        landing=_path(env, "CSCW_LANDING", home / "landing"),
        warehouse=_path(env, "CSCW_WAREHOUSE", home / "warehouse.duckdb"),
        publish_dir=_path(env, "CSCW_PUBLISH_DIR", home / "publish"),
        quality_dir=_path(env, "CSCW_QUALITY_DIR", home / "quality"),
        restricted_dir=_path(env, "CSCW_RESTRICTED_DIR", home / "restricted"),
        dagster_home=_path(env, "DAGSTER_HOME", home / "dagster"),
        pseudonym_key=env.get("CSCW_PSEUDONYM_KEY") or DEMO_PSEUDONYM_KEY,
        duckdb_memory=env.get("CSCW_DUCKDB_MEMORY", "6GB"),
        duckdb_threads=int(env.get("CSCW_DUCKDB_THREADS", "2")),
        publish_keep=int(env.get("CSCW_PUBLISH_KEEP", "5")),
        calendar_first_year=int(first_year),
        calendar_last_year=int(last_year),
        return_schemas=_path(env, "CSCW_RETURN_SCHEMAS", None),
        xml_max_mb=int(env.get("CSCW_XML_MAX_MB", "512")),
        landing_settle_seconds=float(env.get("CSCW_LANDING_SETTLE_SECONDS", "60")),
        dfe_validators=env_flag("CSCW_DFE_VALIDATORS", False, env),
        dfe_venv=_path(env, "CSCW_DFE_VENV", DEFAULT_DFE_VENV),
        dfe_timeout=int(env.get("CSCW_DFE_TIMEOUT", "600")),
        annex_a_schema=_path(env, "CSCW_ANNEX_A_SCHEMA", None),
        manager_lists=env_flag("CSCW_MANAGER_LISTS", False, env),
        dbt_threads=int(env.get("CSCW_DBT_THREADS") or _cores()),
        ingest_workers=int(env.get("CSCW_INGEST_WORKERS") or _cores()),
        engine=_engine(env.get("CSCW_ENGINE", "")),
        raw_parquet=_path(env, "CSCW_RAW_PARQUET", home / "raw-parquet"),
    )


ENGINES = ("duckdb", "spark")


def _engine(raw: str) -> str:
    """CSCW_ENGINE: unset or empty is DuckDB; anything else must be an engine's name."""
    engine = raw.strip().lower() or ENGINES[0]
    if engine not in ENGINES:
        raise ValueError(f"CSCW_ENGINE must be one of {', '.join(ENGINES)}, not {raw!r}")
    return engine


def apply_settings(settings: Settings) -> None:
    """Export settings to this process's environment (read by dbt's profile and Dagster), and the
    measure registry's ids dbt parses with."""
    from orchestration.lib.measures import export_to_dbt  # measures reads REPO_ROOT from here

    os.environ.update(settings.as_environ())
    export_to_dbt()
    if "CSCW_PSEUDONYM_KEY" not in os.environ:
        os.environ["CSCW_PSEUDONYM_KEY"] = settings.pseudonym_key


def prepare_dagster_home(settings: Settings) -> Path:
    """DAGSTER_HOME lives in the working folder; its dagster.yaml is the repo's, copied in."""
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    target = settings.dagster_home / "dagster.yaml"
    if not target.exists() or target.read_bytes() != DAGSTER_YAML.read_bytes():
        shutil.copyfile(DAGSTER_YAML, target)
    return settings.dagster_home
