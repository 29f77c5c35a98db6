"""Typed column values of the simulation, and their rendering to the text written in the files.

Simulation code fills a table as `{column: value}` where a value is one of:

- `Ids(prefix, numbers)`: identifiers such as `P0000123` (-1 = null);
- `Cat(labels, index)`: a value drawn from a list of labels (-1 = null);
- a numpy `datetime64[D]` array (a date; NaT = null) or `datetime64[s]` (a date-time with a
  clock time);
- for flags, a numpy int8 array of 1 (Y), 0 (N), -1 (null);
- for integers and decimals, a numpy float array (NaN = null);
- a pyarrow string array or a numpy array of str.

`render` turns one into a pyarrow string array in the accepted formats, mixing in the
alternative forms for a share `format_mix` of the values.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DATE_DEFAULT = "%Y-%m-%d"
DATETIME_DEFAULT = "%Y-%m-%d %H:%M:%S"
DATE_ALTERNATIVES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.000", "%d/%m/%Y")
DATETIME_ALTERNATIVES = ("%Y-%m-%dT%H:%M:%S.000",)
FLAG_FORMS = (("Y", "N"), ("1", "0"), ("true", "false"))


@dataclass
class Ids:
    prefix: str
    numbers: np.ndarray
    width: int = 7

    def __len__(self) -> int:
        return len(self.numbers)

    def take(self, idx) -> "Ids":
        return Ids(self.prefix, self.numbers[idx], self.width)


@dataclass
class Cat:
    labels: Sequence[str]
    index: np.ndarray

    def __len__(self) -> int:
        return len(self.index)

    def take(self, idx) -> "Cat":
        return Cat(self.labels, self.index[idx])


def take(value, idx):
    """Rows `idx` of a column value of any kind."""
    if isinstance(value, (Ids, Cat)):
        return value.take(idx)
    if isinstance(value, (pa.Array, pa.ChunkedArray)):
        return value.take(pa.array(np.asarray(idx, dtype=np.int64)))
    return np.asarray(value)[idx]


def length(value) -> int:
    return len(value)


def concat(values: list):
    """Concatenate chunks of one column (all of the same kind)."""
    first = values[0]
    if isinstance(first, Ids):
        return Ids(first.prefix, np.concatenate([v.numbers for v in values]), first.width)
    if isinstance(first, Cat):
        return Cat(first.labels, np.concatenate([v.index for v in values]))
    if isinstance(first, (pa.Array, pa.ChunkedArray)):
        return pa.concat_arrays(
            [v.combine_chunks() if isinstance(v, pa.ChunkedArray) else v for v in values]
        )
    return np.concatenate(values)


def ids_text(prefix: str, numbers: np.ndarray, width: int = 7) -> pa.Array:
    numbers = np.asarray(numbers, dtype=np.int64)
    arr = pa.array(numbers, mask=numbers < 0)
    padded = pc.utf8_lpad(arr.cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, padded, "")


def cat_text(labels: Sequence[str], index: np.ndarray) -> pa.Array:
    index = np.asarray(index, dtype=np.int32)
    ind = pa.array(index, mask=index < 0)
    return pa.DictionaryArray.from_arrays(ind, pa.array(list(labels), pa.string())).cast(
        pa.string()
    )


def _mix(
    default: pa.Array, alternatives: list[pa.Array], rng: np.random.Generator, share: float
) -> pa.Array:
    if share <= 0 or not alternatives:
        return default
    n = len(default)
    use = rng.random(n) < share
    which = rng.integers(0, len(alternatives), n)
    out = default
    for k, alt in enumerate(alternatives):
        out = pc.if_else(pa.array(use & (which == k)), alt, out)
    return out


def _dates(values: np.ndarray, rng, share: float) -> pa.Array:
    has_time = values.dtype == np.dtype("datetime64[s]")
    if has_time:
        arr = pa.array(values.astype("datetime64[s]"))
        default = pc.strftime(arr, format=DATETIME_DEFAULT)
        alts = DATETIME_ALTERNATIVES
    else:
        arr = pa.array(values.astype("datetime64[D]").astype("datetime64[s]"))
        default = pc.strftime(arr, format=DATE_DEFAULT)
        alts = DATE_ALTERNATIVES
    if share <= 0:
        return default
    return _mix(default, [pc.strftime(arr, format=f) for f in alts], rng, share)


def _flags(values: np.ndarray, rng, share: float) -> pa.Array:
    v = np.asarray(values).astype(np.int8)
    cond = pa.array(v == 1)
    mask = pa.array(v < 0)
    forms = []
    for yes, no in FLAG_FORMS:
        forms.append(pc.if_else(mask, pa.scalar(None, pa.string()), pc.if_else(cond, yes, no)))
    return _mix(forms[0], forms[1:], rng, share)


def _numbers(values: np.ndarray, kind: str) -> pa.Array:
    v = np.asarray(values, dtype=np.float64)
    nan = np.isnan(v)
    if kind == "integer":
        arr = pa.array(np.where(nan, 0, v).astype(np.int64), mask=nan)
        return arr.cast(pa.string())
    arr = pa.array(np.round(np.where(nan, 0, v), 2), mask=nan)
    return arr.cast(pa.string())


def render(col_type: str, value, n: int, rng: np.random.Generator, share: float) -> pa.Array:
    """Text of one column (pyarrow string array of length n; null = empty field)."""
    if value is None:
        return pa.nulls(n, pa.string())
    if isinstance(value, Ids):
        return ids_text(value.prefix, value.numbers, value.width)
    if isinstance(value, Cat):
        return cat_text(value.labels, value.index)
    if isinstance(value, pa.ChunkedArray):
        value = value.combine_chunks()
    if isinstance(value, pa.Array):
        return value.cast(pa.string())
    value = np.asarray(value)
    if value.dtype.kind == "M":
        return _dates(value, rng, share)
    if col_type == "flag":
        return _flags(value, rng, share)
    if col_type in ("integer", "decimal") or value.dtype.kind == "f":
        return _numbers(value, col_type)
    if value.dtype.kind in "iu":
        return pa.array(value).cast(pa.string())
    return pa.array(value.astype(object), pa.string(), from_pandas=True)
