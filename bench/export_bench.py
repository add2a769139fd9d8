"""The research export and report at study scale: 1000 participants with 365 days each.

Seeds the data folder straight to disk in a child process (the same records as
bench/summary_bench.py: 365 daily prompts, 365 ratings and 183 completed runs each, all in
one group), then measures in a second, fresh child (cold store, its own memory figures):
``jeda export`` (the real CLI path: participants read and formatted in worker processes,
the CSVs written as they come), the zip ``/export`` sends, and ``jeda report`` of the
group (a page and a chart per participant, in worker processes). Prints the times and
the peak RSS of the measuring process and of its largest worker.
Targets: export < 10 s, report < 20 s, peak RSS < 300 MB.
Usage: python bench/export_bench.py [--participants 1000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def quietly(argv: list[str]) -> float:
    """Run the CLI with stdout silenced; return the seconds it took."""
    from bot import cli

    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            code = cli.main(argv)
        finally:
            sys.stdout = stdout
    assert code == 0, argv
    return time.perf_counter() - started


def measure(data: Path, out: Path) -> None:
    os.environ["JEDA_DATA_DIR"] = str(data)
    os.environ.pop("JEDA_CONTENT_DIR", None)
    from bot import research

    export_s = quietly(["export", "--out", str(out / "export")])
    files = list((out / "export").iterdir())
    size = sum(p.stat().st_size for p in files)
    rows = sum(max(0, p.read_text().count("\n") - 1) for p in files
               if p.suffix == ".csv" and p.stem not in ("codebook", "items"))
    started = time.perf_counter()
    packed = research.zipped(out / "export")
    zip_s = time.perf_counter() - started
    report_s = quietly(["report", "--group", "G00", "--out", str(out / "report.html")])
    html_mb = (out / "report.html").stat().st_size / 1e6
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"export (jeda export)            {export_s:.2f} s   {rows} rows, "
          f"{size / 1e6:.0f} MB   (target < 10 s)")
    print(f"zip for /export                 {zip_s:.2f} s   {len(packed) / 1e6:.1f} MB")
    print(f"report (jeda report, 1 group)   {report_s:.2f} s   {html_mb:.0f} MB of HTML, "
          f"1001 charts   (target < 20 s)")
    print(f"peak RSS: main process {own:.0f} MB, largest worker {workers:.0f} MB   "
          f"(target < 300 MB)")


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
