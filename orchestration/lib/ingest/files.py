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


def inspect_file(path: Path, is_text: bool) -> FileFacts:
    """Hash the file and, for text, decide between UTF-8 (BOM or not) and Windows-1252."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    utf8_ok, cp1252_ok, offset, where = True, True, 0, ""
    blank_seen, blank_inside, tail = False, False, b""
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            if is_text and not blank_inside:  # byte searches in C, no per-byte Python
                if blank_seen and chunk.strip(b"\r\n"):
                    blank_inside = True
                else:
                    data = tail + chunk
                    hits = [i for i in (data.find(b"\n\n"), data.find(b"\n\r\n")) if i >= 0]
                    if hits:
                        blank_seen = True
                        blank_inside = bool(data[min(hits):].strip(b"\r\n"))
                    tail = data[-2:]
            if is_text and utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError as e:
                    utf8_ok, where = False, f"byte {offset + e.start}"
            if is_text and cp1252_ok:  # every chunk: cp1252 leaves five byte values undefined
                try:
                    cp1252.decode(chunk)
                except UnicodeDecodeError as e:
                    cp1252_ok = False
                    where = where or f"byte {offset + e.start}"
            offset += len(chunk)
    if not is_text:
        return FileFacts(digest.hexdigest(), "binary")
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
            return FileFacts(digest.hexdigest(), "utf-8", blank_lines=blank_inside)
        except UnicodeDecodeError:
            where = f"byte {offset} (truncated character at end of file)"
    if cp1252_ok:
        return FileFacts(digest.hexdigest(), "windows-1252", blank_lines=blank_inside)
    return FileFacts(
        digest.hexdigest(), "undecodable", f"neither UTF-8 nor Windows-1252 text (first bad {where})"
    )


def transcode_to_utf8(path: Path, target: Path, encoding: str = "cp1252") -> Path:
    with open(path, encoding=encoding, newline="") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    return target
