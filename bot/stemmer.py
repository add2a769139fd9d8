"""The Indonesian stemmer the safety matcher uses, and the matcher built from content.

Sastrawi (PySastrawi, MIT) reduces a standard Indonesian word to its root with its own
dictionary of roots: "mengakhiri" -> "akhir", "melukai" -> "luka", "diriku" -> "diri". It
reads that dictionary from its package files, so it is built here, once per process, and
handed to ``bot.core.safety`` as a plain function.

Chat Indonesian often uses Jakarta forms Sastrawi does not know: ng-/ny-/nge- for me-, and
-in for -i or -kan ("ngakhirin", "nyakitin", "ngelukain", "nabrakin"). When Sastrawi leaves
such a word as it is and it is not a root itself, the standard form is tried ("mengakhiri",
"menyakiti", "melukai", "menabrak"), and its root is taken only if Sastrawi finds it in the
dictionary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache, lru_cache

from bot.core.content.safety import Safety
from bot.core.safety import SafetyMatcher

CACHE_SIZE = 50_000  # distinct words remembered (a few MB); the stemmer is ~0.1 ms a word


def _standard_forms(word: str) -> Iterator[str]:
    """Standard forms a Jakarta-style word may stand for, most likely first."""
    bases = [word]
    if word.endswith("in") and len(word) > 5:
        bases += [word[:-2] + "i", word[:-2] + "kan", word[:-2]]  # nyakitin, nabrakin
    for base in bases:
        if base.startswith("nge") and len(base) > 5:
            yield "me" + base[3:]  # ngelukai -> melukai
            yield "meng" + base[3:]  # ngegores -> menggores
        if base.startswith(("n", "m")) and not base.startswith("me") and len(base) > 4:
            yield "me" + base  # ngakhiri -> mengakhiri, nyilet -> menyilet, mukul -> memukul
        if base != word:
            yield base  # sakitin -> sakit


@cache
def indonesian_stem() -> Callable[[str], str]:
    """The stemmer (built on first use, a few milliseconds; then cached per word)."""
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    dictionary = ArrayDictionary(StemmerFactory().get_words())
    stemmer = Stemmer(dictionary)

    @lru_cache(maxsize=CACHE_SIZE)
    def stem(word: str) -> str:
        root: str = stemmer.stem_word(word)
        if root != word or dictionary.contains(word):
            return root
        for candidate in _standard_forms(word):
            found: str = stemmer.stem_word(candidate)
            if found != candidate and dictionary.contains(found):
                return found
            if candidate != word and dictionary.contains(candidate):
                return candidate
        return root

    return stem


def safety_matcher(safety: Safety) -> SafetyMatcher:
    """The matcher for this content, with the Indonesian stemmer."""
    return SafetyMatcher.build(safety.rules, stem=indonesian_stem())
