"""Keyed pseudonyms (HMAC-SHA256) computed inside DuckDB.

The key never appears in SQL text, compiled dbt models or logs: Python derives the HMAC pads
from the secret and binds them as DuckDB session variables; the SQL macro `cscw_pseudonym(text)`
reads them. Same key + same input = same pseudonym, so keys join across tables and runs.
"""

import hashlib
import hmac

PSEUDONYM_HEX_CHARS = 16  # 64 bits: collision-free in practice at national volumes


def hmac_pads(key: str) -> tuple[bytes, bytes]:
    raw = key.encode("utf-8")
    if len(raw) > 64:  # HMAC: long keys are hashed first
        raw = hashlib.sha256(raw).digest()
    raw = raw.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in raw), bytes(b ^ 0x5C for b in raw)


def pseudonym(key: str, value: str) -> str:
    """Python reference implementation (tests and one-off look-ups)."""
    digest = hmac.new(key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_HEX_CHARS]


def configure_pseudonyms(conn, key: str) -> None:
    """Bind the pads to this DuckDB connection and define `cscw_pseudonym(text)`."""
    ipad, opad = hmac_pads(key)
    conn.execute("SET VARIABLE cscw_ipad = unhex(?)", [ipad.hex()])
    conn.execute("SET VARIABLE cscw_opad = unhex(?)", [opad.hex()])
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP MACRO cscw_pseudonym(v) AS
          left(sha256(getvariable('cscw_opad')
                      || unhex(sha256(getvariable('cscw_ipad') || encode(v::VARCHAR)))),
               {PSEUDONYM_HEX_CHARS})
        """
    )
