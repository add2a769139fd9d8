"""The Indonesian stemmer handed to the safety matcher: Sastrawi plus Jakarta forms."""

from __future__ import annotations

import time as perf

import pytest

from bot.stemmer import indonesian_stem


@pytest.mark.parametrize("word, root", [
    ("mengakhiri", "akhir"), ("melukai", "luka"), ("menyakiti", "sakit"), ("diriku", "diri"),
    ("hidupku", "hidup"), ("menggantung", "gantung"), ("kepikiran", "pikir"),
    # Jakarta forms Sastrawi alone leaves as they are
    ("ngakhirin", "akhir"), ("nyakitin", "sakit"), ("ngelukain", "luka"),
    ("nabrakin", "tabrak"), ("mukulin", "pukul"), ("nyilet", "silet"), ("nyayat", "sayat"),
    ("ngegores", "gores"),
    # words that are roots already, or English, stay
    ("mati", "mati"), ("hidup", "hidup"), ("killing", "killing"), ("disappear", "disappear"),
])
def test_roots(word: str, root: str) -> None:
    assert indonesian_stem()(word) == root


def test_the_stemmer_is_built_once_and_fast() -> None:
    assert indonesian_stem() is indonesian_stem()
    stem = indonesian_stem()
    words = [f"menyakiti{'x' * (i % 7)}" for i in range(300)]
    started = perf.perf_counter()
    for word in words:
        stem(word)
    assert perf.perf_counter() - started < 1.0
