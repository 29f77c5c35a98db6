"""Byte-level work on a landing file: hash, encoding check, Windows-1252 transcoding.

Streams fixed-size chunks (bounded memory whatever the file size); rows are DuckDB's business.
"""

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    encoding: str  # "utf-8" | "windows-1252" | "binary" (parquet) | "undecodable"
    problem: str | None = None
    blank_lines: bool = False  # an empty line with more text after it (line numbers need care)


def _at(chunk: bytes, i: int, lines_before: int, column_base: int, offset: int) -> str:
    """Where byte i of a chunk is: line and column (bytes from the line start, 1-based) and offset."""
    i = max(i, 0)
    newline = chunk.rfind(b"\n", 0, i)
    line = lines_before + chunk.count(b"\n", 0, i) + 1
    column = i - newline if newline >= 0 else column_base + i + 1
    return f"line {line}, column {column} (byte {offset + i})"


NOT_TEXT = (  # magic numbers of what councils' tools save by mistake under a .csv name
    (
        b"PK\x03\x04",
        "a ZIP archive (an Excel .xlsx workbook saved under a .csv name?), not CSV text",
    ),
    (b"\xd0\xcf\x11\xe0", "an OLE2 document (an Excel .xls workbook?), not CSV text"),
    (
        b"\xff\xfe",
        "UTF-16 text (byte-order mark FF FE): export the extract as UTF-8 or Windows-1252",
    ),
    (
        b"\xfe\xff",
        "UTF-16 text (byte-order mark FE FF): export the extract as UTF-8 or Windows-1252",
    ),
)


def inspect_file(path: Path, is_text: bool, is_csv: bool = True) -> FileFacts:
    """Hash the file and, for text, decide between UTF-8 (BOM or not) and Windows-1252. A CSV with
    a NUL byte, in UTF-16 or that is a spreadsheet is refused: the problem names where (an XML
    declares its own encoding, which the XML parser honours)."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    utf8_ok, cp1252_ok, offset, where = True, True, 0, ""
    blank_seen, blank_inside, tail = False, False, b""
    lines_before, column_base, nul = 0, 0, ""
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            if is_csv and offset == 0:
                for magic, what in NOT_TEXT:
                    if chunk.startswith(magic):
                        nul = nul or what
            if is_csv and not nul and (i := chunk.find(b"\x00")) >= 0:  # searched in C
                nul = (
                    f"NUL byte at {_at(chunk, i, lines_before, column_base, offset)}: not text "
                    f"(binary, or UTF-16 without a byte-order mark)"
                )
            if is_text and not blank_inside:  # byte searches in C, no per-byte Python
                if blank_seen and chunk.strip(b"\r\n"):
                    blank_inside = True
                else:
                    data = tail + chunk
                    hits = [i for i in (data.find(b"\n\n"), data.find(b"\n\r\n")) if i >= 0]
                    if hits:
                        blank_seen = True
                        blank_inside = bool(data[min(hits) :].strip(b"\r\n"))
                    tail = data[-2:]
            if is_text and utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError as e:
                    utf8_ok, where = False, _at(chunk, e.start, lines_before, column_base, offset)
            if is_text and cp1252_ok:  # every chunk: cp1252 leaves five byte values undefined
                try:
                    cp1252.decode(chunk)
                except UnicodeDecodeError as e:
                    cp1252_ok = False
                    where = where or _at(chunk, e.start, lines_before, column_base, offset)
            if is_text:
                last = chunk.rfind(b"\n")
                column_base = len(chunk) - last - 1 if last >= 0 else column_base + len(chunk)
                lines_before += chunk.count(b"\n")
            offset += len(chunk)
    if not is_text:
        return FileFacts(digest.hexdigest(), "binary")
    if nul:
        return FileFacts(digest.hexdigest(), "undecodable", nul)
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
            return FileFacts(digest.hexdigest(), "utf-8", blank_lines=blank_inside)
        except UnicodeDecodeError:
            where = (
                f"line {lines_before + 1}, column {column_base + 1} "
                f"(byte {offset}: a character cut off at the end of the file)"
            )
    if cp1252_ok:
        return FileFacts(digest.hexdigest(), "windows-1252", blank_lines=blank_inside)
    return FileFacts(
        digest.hexdigest(),
        "undecodable",
        f"neither UTF-8 nor Windows-1252 text (first bad byte at {where})",
    )


def transcode_to_utf8(path: Path, target: Path, encoding: str = "cp1252") -> Path:
    with (
        open(path, encoding=encoding, newline="") as src,
        open(target, "w", encoding="utf-8", newline="") as dst,
    ):
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    return target
