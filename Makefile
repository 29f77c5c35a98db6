# Two commands for users: `make demo` and `make test`. Everything else is plumbing.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.8
# Test files run on this many processes (one per core); a file's tests stay together so its
# module fixtures (one pipeline run each) are built once. Files are queued as collected
# (--no-loadscope-reorder), so the longest, collected first (tests/conftest.py), starts first.
TEST_WORKERS ?= 2

# Telemetry off for every tool, whatever starts it.
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false

.PHONY: demo test lint format ui synth clean env env-spark bench

env: $(VENV)/.installed

# A second environment for the dbt project on local Spark (docs/scale.md): pyspark and dbt-spark
# beside everything else. Apart because importing pyspark changes the pipeline's: Great
# Expectations imports pyspark's Connect client whenever pyspark is installed, which adds to every
# run's start and exits pytest-xdist's workers (pyspark takes them for a doctest run).
SPARK_VENV := .venv-spark
env-spark: $(SPARK_VENV)/.installed

$(SPARK_VENV)/.installed: requirements-spark.lock pyproject.toml
	test -x $(SPARK_VENV)/bin/python || $(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(SPARK_VENV)/bin/uv pip install --quiet --compile-bytecode --python $(SPARK_VENV)/bin/python -r requirements-spark.lock
	$(SPARK_VENV)/bin/uv pip install --quiet --python $(SPARK_VENV)/bin/python --no-deps -e .
	touch $@

# The environment is rebuilt only when the lock file or the package metadata change.
# --compile-bytecode: the libraries' .pyc files are written once, here. uv does not write them by
# default, and where PYTHONDONTWRITEBYTECODE is set (this machine, many container images) Python
# never caches them either: every `cscw run` and each of its dbt processes then compiled Dagster,
# dbt and GX from source again (importing GX: 7 s instead of 2 s; docs/performance.md).
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

demo: env
	$(BIN)/cscw demo

test: env env-spark
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Linters (docs/development.md), pinned in requirements.lock; .ci/run runs `make lint` before the
# tests. The dbt templater compiles the project against an in-memory DuckDB, into its own target
# folder, so it needs no warehouse or data and leaves the pipeline's dbt state alone.
SQLFLUFF_ENV := CSCW_WAREHOUSE=:memory: DBT_TARGET_PATH=$(CURDIR)/.cscw/lint/target \
	DBT_LOG_PATH=$(CURDIR)/.cscw/lint/logs
SQLFLUFF_PROCESSES ?= 2
lint: env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(SQLFLUFF_ENV) $(BIN)/sqlfluff lint --processes $(SQLFLUFF_PROCESSES) dbt_project

# Rewrites the tree to pass `make lint` where the tools can (what they cannot fix, they print).
format: env
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(SQLFLUFF_ENV) $(BIN)/sqlfluff fix --processes $(SQLFLUFF_PROCESSES) dbt_project

# The benchmark (docs/performance.md): e.g. make bench BENCH_ARGS="--authorities 1 --children 36000 --years 6"
BENCH_ARGS ?= --authorities 1 --years 6
bench: env
	$(BIN)/cscw bench $(BENCH_ARGS)

ui: env
	$(BIN)/cscw ui

clean:
	rm -rf .cscw dbt_project/target
