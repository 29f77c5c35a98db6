"""Settings read from the environment: one parser for on/off settings."""

import pytest

from orchestration.lib.settings import env_flag, load_settings


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("on", True),
        (" YES ", True),
        ("1", True),
        ("true", True),
        ("off", False),
        ("No", False),
        ("0", False),
        ("false", False),
    ],
)
def test_on_off_words(raw, expected):
    assert env_flag("CSCW_X", not expected, {"CSCW_X": raw}) is expected


def test_unset_or_empty_is_the_default():
    assert env_flag("CSCW_X", True, {}) is True
    assert env_flag("CSCW_X", False, {"CSCW_X": "  "}) is False


def test_a_word_it_cannot_read_is_an_error_not_off():
    with pytest.raises(ValueError, match=r"CSCW_MANAGER_LISTS must be one of .*not 'ture'"):
        load_settings({"CSCW_MANAGER_LISTS": "ture"})


def test_restricted_outputs_have_their_own_folder_beside_the_publication():
    settings = load_settings({"CSCW_HOME": "/tmp/cscw-home"})
    assert str(settings.restricted_dir) == "/tmp/cscw-home/restricted"
    assert settings.restricted_dir != settings.publish_dir
    assert (
        load_settings({"CSCW_RESTRICTED_DIR": "/srv/restricted"}).as_environ()[
            "CSCW_RESTRICTED_DIR"
        ]
        == "/srv/restricted"
    )


def test_dbt_threads_and_ingest_workers_default_to_the_machines_cores_unless_set(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    assert (load_settings({}).dbt_threads, load_settings({}).ingest_workers) == (3, 3)
    assert load_settings({"CSCW_DBT_THREADS": "1"}).dbt_threads == 1
    assert load_settings({"CSCW_INGEST_WORKERS": "1"}).ingest_workers == 1
    monkeypatch.setattr("os.cpu_count", lambda: None)  # unknown: one of each
    assert (load_settings({}).dbt_threads, load_settings({}).ingest_workers) == (1, 1)


def test_the_engine_is_duckdb_unless_spark_is_asked_for_and_a_typo_is_an_error():
    assert load_settings({}).engine == "duckdb"
    assert load_settings({"CSCW_ENGINE": " Spark "}).engine == "spark"
    with pytest.raises(ValueError, match=r"CSCW_ENGINE must be one of duckdb, spark, not 'sprak'"):
        load_settings({"CSCW_ENGINE": "sprak"})
    settings = load_settings({"CSCW_HOME": "/tmp/cscw-home", "CSCW_ENGINE": "spark"})
    assert settings.as_environ()["CSCW_RAW_PARQUET"] == "/tmp/cscw-home/raw-parquet"
    assert load_settings(settings.as_environ()) == settings  # a child process reads the same
