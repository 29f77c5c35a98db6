"""ssd_person and ssd_disability for every child referenced anywhere in the authority's tables."""

import numpy as np

from . import names
from .calendar import NAT, add_days
from .context import Ctx
from .draw import PERSON, cat, cat_pick, flag, flag_of, ids, person_ids, pick
from .render import Ids


def referenced(tables: dict) -> np.ndarray:
    found = [
        v.numbers
        for t in tables.values()
        for v in t.values()
        if isinstance(v, Ids) and v.prefix == PERSON
    ]
    allp = np.concatenate(found) if found else np.zeros(0, np.int64)
    return np.unique(allp[allp >= 0])


def build(ctx: Ctx, person: np.ndarray, dob_all: np.ndarray, disabled: np.ndarray) -> dict:
    rng = ctx.rng["people"]
    n = len(person)
    dob = dob_all[person]
    sex = pick(rng, (0.49, 0.49, 0.02), n)
    gender = np.where(rng.random(n) < 0.97, sex, 2)
    age_now = (ctx.end - dob).astype(np.int64) / 365.25
    unborn = dob > ctx.end
    dob = np.where(unborn, ctx.end, dob)
    expected = np.where(rng.random(n) < 0.01, add_days(dob, rng.integers(-20, 20, n)), NAT)
    death = np.where(rng.random(n) < 0.0008, add_days(ctx.end, -rng.integers(1, 400, n)), NAT)
    death = np.where(death > dob, death, NAT)
    fn = rng.integers(0, len(names.FORENAMES), n)
    sn = rng.integers(0, len(names.SURNAMES), n)
    t = {
        "ssd_person": {
            "pers_person_id": person_ids(person),
            "pers_forename": np.array(names.FORENAMES)[fn],
            "pers_surname": np.array(names.SURNAMES)[sn],
            "pers_sex": cat(names.SEX, sex),
            "pers_gender": cat(names.GENDER, gender),
            "pers_ethnicity": cat_pick(rng, names.ETHNICITY, n, names.ETHNICITY_WEIGHTS),
            "pers_dob": dob,
            # fake NHS-number-like and UPN-like identifiers (the SystemC script's columns), school age only
            "pers_single_unique_id": ids(
                "Z", np.where(age_now >= 4, person * 7919 % 999_999_999_999, -1), 12
            ),
            "pers_upn": ids(
                "X", np.where(age_now >= 4, person * 104_729 % 999_999_999_999, -1), 12
            ),
            "pers_legacy_id": ids("LEG", np.where(rng.random(n) < 0.3, person, -1), 8),
            "pers_upn_unknown": cat(
                names.UPN_UNKNOWN, np.where(age_now < 4, rng.integers(0, 5, n), -1)
            ),
            "pers_send_flag": flag(rng, 0.15, n),
            "pers_expected_dob": expected,
            "pers_death_date": death,
            "pers_is_mother": flag_of((sex == 1) & (age_now >= 14) & (rng.random(n) < 0.03)),
            "pers_nationality": cat_pick(rng, names.NATIONALITY, n, names.NATIONALITY_WEIGHTS),
        }
    }
    dis = np.flatnonzero(np.isin(person, disabled) | (rng.random(n) < 0.03))
    k = 1 + (rng.random(len(dis)) < 0.3)
    o = np.repeat(dis, k)
    t["ssd_disability"] = {
        "disa_person_id": person_ids(person[o]),
        "disa_table_id": ids("DS", np.arange(len(o))),
        "disa_disability_code": cat(
            names.DISABILITY, rng.integers(0, len(names.DISABILITY), len(o))
        ),
    }
    return t
