"""The safety matcher on the corpus in tests/core/safety_corpus: recall, false alarms, speed.

Builds the matcher the way the bot does (bot.stemmer.safety_matcher with the shipped
content), then times ``match`` per message: every corpus message, cold (empty stemmer
cache) and warm, and a few 4096-character worst cases.
Usage: python bench/safety_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time as wall
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import default_content_dir, load_content  # noqa: E402
from bot.core.safety import MAX_TEXT, SafetyMatcher  # noqa: E402
from bot.stemmer import indonesian_stem, safety_matcher  # noqa: E402

CORPUS = ROOT / "tests" / "core" / "safety_corpus"


def messages(name: str) -> list[str]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def times_ms(matcher: SafetyMatcher, texts: list[str]) -> list[float]:
    out = []
    for text in texts:
        started = wall.perf_counter()
        matcher.match(text)
        out.append((wall.perf_counter() - started) * 1000)
    return out


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    content = load_content(default_content_dir())
    started = wall.perf_counter()
    matcher = safety_matcher(content.safety)
    built = (wall.perf_counter() - started) * 1000

    print(f"{'corpus file':28} {'messages':>8} {'alarms':>7}  rate")
    crisis_all: list[str] = []
    ordinary_all: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        texts = messages(path.name)
        hits = sum(1 for t in texts if matcher.match(t))
        crisis = path.name.startswith("crisis")
        (crisis_all if crisis else ordinary_all).extend(texts)
        label = "recall" if crisis else "false alarms"
        print(f"{path.name:28} {len(texts):8} {hits:7}  {100 * hits / len(texts):5.1f} % {label}")
    caught = sum(1 for t in crisis_all if matcher.match(t))
    alarms = sum(1 for t in ordinary_all if matcher.match(t))
    print(f"{'all crisis':28} {len(crisis_all):8} {caught:7}  "
          f"{100 * caught / len(crisis_all):5.1f} % recall")
    print(f"{'all ordinary':28} {len(ordinary_all):8} {alarms:7}  "
          f"{100 * alarms / len(ordinary_all):5.1f} % false alarms")

    texts = crisis_all + ordinary_all
    indonesian_stem().cache_clear()  # type: ignore[attr-defined]
    cold = times_ms(matcher, texts)
    warm = [t for _ in range(args.repeat) for t in times_ms(matcher, texts)]
    rng = random.Random(8)
    noise = " ".join("".join(rng.choice("abdeghiklmnoprstuy") for _ in range(rng.randint(4, 12)))
                     for _ in range(900))[:MAX_TEXT]
    worst = {
        "4096 chars of random words": noise,
        "'aku pengen mati aja' x 200": ("aku pengen mati aja " * 210)[:MAX_TEXT],
        "'hp mau mati' x 340": ("hp mau mati " * 350)[:MAX_TEXT],
        "'mati mau' x 450 (no match)": ("mati mau " * 460)[:MAX_TEXT],
    }
    print()
    print(f"matcher built in {built:.0f} ms (stemmer dictionary included)")
    print(f"match per message, corpus, cold cache   mean {statistics.mean(cold):6.2f} ms"
          f"   p99 {p99(cold):6.2f} ms   max {max(cold):6.2f} ms")
    label = f"match per message, corpus, warm x{args.repeat}"
    print(f"{label:<40}mean {statistics.mean(warm):6.2f} ms"
          f"   p99 {p99(warm):6.2f} ms   max {max(warm):6.2f} ms")
    for name, text in worst.items():
        indonesian_stem().cache_clear()  # type: ignore[attr-defined]
        cold_once = times_ms(matcher, [text])[0]
        warm_best = min(times_ms(matcher, [text] * args.repeat))
        print(f"worst case, {name:30} {cold_once:6.1f} ms cold, {warm_best:6.1f} ms warm")


if __name__ == "__main__":
    main()
