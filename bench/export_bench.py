"""The research export and report at study scale: 1000 participants with 365 days each.

Seeds the data folder straight to disk in a child process (the same records as
bench/summary_bench.py: 365 daily prompts, 365 ratings and 183 completed runs each, all in
one group), then runs ``python -m bot export`` and ``python -m bot report`` as an operator
would (start-up and imports in the time; participants read and formatted in worker
processes) and the zip ``/export`` sends. Prints the wall times and the peak resident
memory of each command's processes together (the main one and its workers, sampled from
/proc every 200 ms).
Targets: export < 10 s, report < 20 s, peak RSS < 300 MB.
Usage: python bench/export_bench.py [--participants 1000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _tree_memory(root: int) -> tuple[int, int, int]:
    """RSS and PSS bytes of ``root`` and every process below it, from /proc (Linux). RSS
    counts a shared page (scipy's libraries, mapped by every worker) once per process;
    PSS shares it out between them: the memory they take together."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    rss = pss = largest = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo.extend(child for child, parent in parents.items() if parent == pid)
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in ("Rss", "Pss"):
                    kib = int(value.split()[0]) * 1024
                    rss, pss = (rss + kib, pss) if name == "Rss" else (rss, pss + kib)
                    largest = max(largest, kib) if name == "Rss" else largest
        except (OSError, ValueError):
            continue
    return rss, pss, largest


def shell(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run ``python -m bot ARGV`` as an operator would (start-up and imports included);
    return its wall time and the peaks of the memory of it and its workers together (RSS
    summed, PSS summed) and of its largest process (RSS), sampled every 200 ms."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bot", *argv], env=env, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_rss = peak_pss = peak_one = 0
    while child.poll() is None:
        rss, pss, one = _tree_memory(child.pid)
        peak_rss, peak_pss, peak_one = max(peak_rss, rss), max(peak_pss, pss), max(peak_one, one)
        time.sleep(0.2)  # a cheap sampler: the workers need the cores
    assert child.returncode == 0, argv
    return time.perf_counter() - started, peak_rss / 1e6, peak_pss / 1e6, peak_one / 1e6


def measure(data: Path, out: Path) -> None:
    from bot import research

    env = {**os.environ, "JEDA_DATA_DIR": str(data)}
    env.pop("JEDA_CONTENT_DIR", None)
    export_s, export_rss, export_pss, export_one = shell(
        ["export", "--out", str(out / "export")], env)
    files = list((out / "export").iterdir())
    size = sum(p.stat().st_size for p in files)
    rows = sum(max(0, p.read_text().count("\n") - 1) for p in files
               if p.suffix == ".csv" and p.stem not in ("codebook", "items"))
    started = time.perf_counter()
    packed = research.zipped(out / "export")
    zip_s = time.perf_counter() - started
    report_s, report_rss, report_pss, report_one = shell(
        ["report", "--group", "G00", "--out", str(out / "r.html")], env)
    html_mb = (out / "r.html").stat().st_size / 1e6
    print(f"export (python -m bot export)   {export_s:.2f} s   {rows} rows, "
          f"{size / 1e6:.0f} MB   (target < 10 s)")
    print(f"zip for /export                 {zip_s:.2f} s   {len(packed) / 1e6:.1f} MB")
    print(f"report (python -m bot report)   {report_s:.2f} s   {html_mb:.0f} MB of HTML, "
          f"1001 charts   (target < 20 s)")
    print(f"peak memory of all its processes: export {export_rss:.0f} MB RSS / "
          f"{export_pss:.0f} MB PSS, report {report_rss:.0f} MB RSS / {report_pss:.0f} MB PSS"
          f"   (target < 300 MB)")
    print(f"largest single process: export {export_one:.0f} MB, report {report_one:.0f} MB RSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--seed-into", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_into is not None:
        from summary_bench import seed  # type: ignore[import-not-found]

        seed(args.seed_into, 1, args.participants)
        return
    if args.measure is not None:
        measure(*args.measure)
        return
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "data", Path(tmp) / "out"
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--participants", str(args.participants),
                        "--seed-into", str(data)], check=True)
        print(f"seeded {args.participants} participants x 365 days in "
              f"{time.perf_counter() - started:.1f} s; cores: {os.cpu_count()}")
        subprocess.run([sys.executable, __file__, "--measure", str(data), str(out)],
                       check=True)


if __name__ == "__main__":
    main()
