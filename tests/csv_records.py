"""Reading a landing CSV the way a test counts it: the encoding the loader accepts (UTF-8 with or
without BOM, else Windows-1252) and each record with its physical line number."""

import csv
from pathlib import Path


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def records(path: Path) -> list[tuple[int, dict]]:
    """(physical line, {lower-case column: value}) for every data record of a CSV file."""
    reader = csv.reader(read_text(path).splitlines(keepends=True))
    header = [h.strip().lower() for h in next(reader, [])]
    out, line = [], reader.line_num + 1
    for row in reader:
        if row:
            out.append((line, dict(zip(header, row))))
        line = reader.line_num + 1
    return out
