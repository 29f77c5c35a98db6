"""Same arguments -> byte-identical files; another seed -> different files; an authority's files do
not depend on how many other authorities are generated."""

import hashlib
from datetime import date
from pathlib import Path

from cscw_synth import generate


def hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.csv"))
    }


def test_same_seed_same_bytes(tmp_path):
    kw = {"years": 1, "end_date": date(2024, 3, 31), "children": 3000, "authorities": 2}
    generate(tmp_path / "a", seed=7, **kw)
    generate(tmp_path / "b", seed=7, **kw)
    generate(tmp_path / "c", seed=8, **kw)
    a, b, c = hashes(tmp_path / "a"), hashes(tmp_path / "b"), hashes(tmp_path / "c")
    assert a and a == b
    assert set(a) == set(c)
    differ = [k for k in a if a[k] != c[k]]
    assert len(differ) > len(a) / 2


def test_same_seed_same_bytes_with_faults_and_formats(tmp_path):
    kw = {
        "years": 1,
        "children": 2500,
        "seed": 5,
        "format_mix": 0.3,
        "faults": "duplicate_key=0.01,bad_date=0.01,end_before_start=0.01,cp1252_file=1,empty_file=1,duplicate_drop=1",
    }
    generate(tmp_path / "a", **kw)
    generate(tmp_path / "b", **kw)
    assert hashes(tmp_path / "a") == hashes(tmp_path / "b")
    assert (tmp_path / "a" / "faults_manifest.csv").read_bytes() == (
        tmp_path / "b" / "faults_manifest.csv"
    ).read_bytes()


def test_authority_independent_of_others(tmp_path):
    kw = {"years": 1, "children": 2500, "seed": 2}
    generate(tmp_path / "one", la_codes=["801"], **kw)
    generate(tmp_path / "three", la_codes=["884", "801", "802"], **kw)
    one = {k: v for k, v in hashes(tmp_path / "one").items()}
    three = {k: v for k, v in hashes(tmp_path / "three").items() if k.startswith("801/")}
    assert one == three


def test_default_codes_and_progress(tmp_path):
    messages = []
    report = generate(tmp_path, authorities=3, years=1, children=1500, progress=messages.append)
    assert report.authorities == ["884", "801", "802"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["801", "802", "884"]
    assert any("ssd_person" in m for m in messages)
    assert report.seconds > 0 and report.files == 3 * 41
