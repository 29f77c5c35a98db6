"""dbt-duckdb plugin: gives every dbt connection the `cscw_pseudonym` macro (key from env)."""

import os

from dbt.adapters.duckdb.plugins import BasePlugin

from orchestration.lib.pseudonymise import configure_pseudonyms
from orchestration.lib.settings import load_settings


class Plugin(BasePlugin):
    def initialize(self, plugin_config):
        self._key = os.environ.get("CSCW_PSEUDONYM_KEY") or load_settings().pseudonym_key

    def configure_connection(self, conn):
        configure_pseudonyms(conn, self._key)

    def configure_cursor(self, cursor):
        configure_pseudonyms(cursor, self._key)
