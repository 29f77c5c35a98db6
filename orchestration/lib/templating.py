"""Jinja2 environments for the HTML pages the warehouse writes: the scorecard in each published
snapshot and the data-quality report of each run.

Each page keeps its templates beside the module that renders it (``<package>/templates/``). Every
environment has autoescaping on, so every value is escaped unless it is markup written in a
template, and an undefined name is an error rather than an empty string.
"""

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


def html_environment(
    package: str,
    *,
    filters: Mapping[str, Callable] | None = None,
    tests: Mapping[str, Callable] | None = None,
    globals: Mapping[str, Any] | None = None,
) -> Environment:
    """The environment for the templates in ``<package>/templates`` (cache it in the caller)."""
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(filters or {})
    env.tests.update(tests or {})
    env.globals.update(globals or {})
    return env
