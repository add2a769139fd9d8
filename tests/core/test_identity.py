"""core.identity: pseudonyms and invite codes."""

from __future__ import annotations

import math
import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import identity
from bot.core.identity import ALPHABET, hash_code, new_invite_code, normalise_code, pseudonym

SECRET = b"s" * 32


def seeded(seed: int = 7) -> random.Random:
    return random.Random(seed)


def test_pseudonym_is_stable_and_keyed() -> None:
    assert pseudonym(SECRET, 123456789) == pseudonym(SECRET, 123456789)
    assert pseudonym(SECRET, 123456789) != pseudonym(b"other", 123456789)
    assert pseudonym(SECRET, 123456789) != pseudonym(SECRET, 123456790)
    assert re.fullmatch(r"P[0-9A-F]{10}", pseudonym(SECRET, 1))


# long ids only: a 2-digit id may appear in the hex digest by chance
@pytest.mark.parametrize("tid", [123456789, 7_000_000_000, -1001234567890])
def test_pseudonym_does_not_contain_the_id(tid: int) -> None:
    assert str(abs(tid)) not in pseudonym(SECRET, tid)


def test_pseudonyms_do_not_collide_in_a_study_sized_population() -> None:
    assert len({pseudonym(SECRET, i) for i in range(20_000)}) == 20_000


def test_invite_codes_shape_alphabet_and_entropy() -> None:
    rng = seeded()
    codes = [new_invite_code(rng.randbytes) for _ in range(20_000)]
    assert len(set(codes)) == len(codes)
    for code in codes[:500]:
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{3}", code)
        assert set(code.replace("-", "")) <= set(ALPHABET)
    assert not set("01OILU") & set(ALPHABET)
    bits = sum(identity.CODE_GROUPS) * math.log2(len(ALPHABET))
    assert bits >= 50
    # every letter of the alphabet is used, roughly uniformly
    counts = {ch: 0 for ch in ALPHABET}
    for code in codes:
        for ch in code.replace("-", ""):
            counts[ch] += 1
    expected = len(codes) * 11 / len(ALPHABET)
    assert all(abs(n - expected) < 0.1 * expected for n in counts.values())


def test_invite_code_rejects_biased_bytes() -> None:
    # a source that only gives bytes >= 240 at first, then usable ones
    calls: list[int] = []

    def source(n: int) -> bytes:
        calls.append(n)
        return bytes([255] * n) if len(calls) == 1 else bytes(range(n))

    code = new_invite_code(source)
    assert len(calls) == 2
    assert code.replace("-", "") == ALPHABET[:11]


@pytest.mark.parametrize("typed", [
    "JD7K-M3QX-P9A", "jd7k-m3qx-p9a", " jd7k m3qx p9a ", "JD7KM3QXP9A", "jd7k—m3qx–p9a",
    "/start JD7K-M3QX-P9A", "/START jd7km3qxp9a", "/start@JedaBot JD7K-M3QX-P9A",
    "ＪＤ７Ｋ－Ｍ３ＱＸ－Ｐ９Ａ", "ＪＤ７Ｋ-Ｍ３ＱＸ-Ｐ９Ａ", "JD7K_M3QX_P9A", "JD7K.M3QX.P9A\n",
    "  jd7k--m3qx--p9a  ",
])
def test_normalise_code_is_tolerant(typed: str) -> None:
    assert normalise_code(typed) == "JD7KM3QXP9A"


@pytest.mark.parametrize(("typed", "expected"), [
    ("", ""), ("/start", ""), ("/start ", ""), ("   ", ""),
    ("/startJD7K", "STARTJD7K"),  # not the command: kept as typed, then fails lookup
])
def test_normalise_code_edges(typed: str, expected: str) -> None:
    assert normalise_code(typed) == expected


@given(st.integers(0, 2**32), st.sampled_from(["", "  ", "/start ", "/START@JedaBot "]),
       st.booleans(), st.sampled_from(["-", " ", "", "—", "_", "."]))
def test_generated_codes_survive_how_people_type_them(
        seed: int, prefix: str, lower: bool, separator: str) -> None:
    code = new_invite_code(seeded(seed).randbytes)
    typed = (code.lower() if lower else code).replace("-", separator)
    assert normalise_code(prefix + typed) == code.replace("-", "")


def test_hash_code_is_keyed_and_deterministic() -> None:
    assert hash_code(SECRET, "JD7KM3QXP9A") == hash_code(SECRET, "JD7KM3QXP9A")
    assert hash_code(SECRET, "JD7KM3QXP9A") != hash_code(b"x" * 32, "JD7KM3QXP9A")
    assert hash_code(SECRET, "JD7KM3QXP9A") != hash_code(SECRET, "JD7KM3QXP9B")
    assert "JD7K" not in hash_code(SECRET, "JD7KM3QXP9A")
    # what a person typed finds the stored hash once normalised
    assert hash_code(SECRET, normalise_code("jd7k m3qx p9a")) == hash_code(SECRET, "JD7KM3QXP9A")
    assert re.fullmatch(r"[0-9a-f]{64}", hash_code(SECRET, "A"))
    # an invite hash is never equal to a pseudonym-style digest of the same input
    assert hash_code(SECRET, "1")[:10].upper() != pseudonym(SECRET, 1)[1:]
