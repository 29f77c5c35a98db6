"""`cscw-dbt` drops the dbt events no logger writes before dbt builds them
(orchestration/lib/dbt_child.py), and only those."""

import io

import pytest
from dbt_common.events import event_manager
from dbt_common.events.base_types import EventLevel
from dbt_common.events.event_manager import EventManager
from dbt_common.events.logger import LineFormat, LoggerConfig
from dbt_common.events.types import Note

from orchestration.lib import dbt_child


@pytest.fixture
def manager(monkeypatch):
    """An event manager with dbt_child's filter, writing JSON lines (as for Dagster) at `level`;
    counts the events dbt builds. The patched class is restored afterwards."""
    monkeypatch.setattr(EventManager, "fire_event", EventManager.fire_event)
    built = []
    real_build = event_manager.msg_from_base_event

    def counting_build(e, level=None):
        built.append(e.msg)
        return real_build(e, level=level)

    monkeypatch.setattr(event_manager, "msg_from_base_event", counting_build)
    dbt_child._drop_unlogged_events()

    def make(level: EventLevel):
        out = io.StringIO()
        em = EventManager()
        em.add_logger(
            LoggerConfig(
                name=f"test_{level}", line_format=LineFormat.Json, level=level, output_stream=out
            )
        )
        return em, out, built

    return make


def test_an_event_below_every_loggers_level_is_not_built(manager):
    em, out, built = manager(EventLevel.INFO)
    em.fire_event(Note(msg="debug line"), level=EventLevel.DEBUG)
    em.fire_event(Note(msg="info line"))  # Note is an info event
    assert built == ["info line"]
    assert "info line" in out.getvalue() and "debug line" not in out.getvalue()


def test_a_warning_is_built_and_written(manager):
    em, out, built = manager(EventLevel.INFO)
    em.fire_event(Note(msg="a warning"), level=EventLevel.WARN)
    assert built == ["a warning"]
    assert "a warning" in out.getvalue()


def test_a_debug_logger_gets_debug_events(manager):
    em, out, built = manager(EventLevel.DEBUG)  # CSCW_LOG_LEVEL=DEBUG: dbt.log at debug
    em.fire_event(Note(msg="debug line"), level=EventLevel.DEBUG)
    assert built == ["debug line"]
    assert "debug line" in out.getvalue()


def test_a_callback_of_someone_else_gets_every_event(manager):
    em, out, built = manager(EventLevel.INFO)
    seen = []
    em.add_callback(lambda msg: seen.append(msg.info.msg))  # as dbtRunner(callbacks=[...]) adds
    em.fire_event(Note(msg="debug line"), level=EventLevel.DEBUG)
    assert seen == ["debug line"] and built == ["debug line"]
    assert "debug line" not in out.getvalue()  # the logger still drops it, as dbt would


def test_a_warning_is_built_even_when_no_logger_writes_it(manager):
    em, out, built = manager(EventLevel.ERROR)  # --quiet; --warn-error reads warnings in fire_event
    em.fire_event(Note(msg="a warning"), level=EventLevel.WARN)
    em.fire_event(Note(msg="info line"))  # only debug events are ever dropped
    em.fire_event(Note(msg="debug line"), level=EventLevel.DEBUG)
    assert built == ["a warning", "info line"]
    assert out.getvalue() == ""
