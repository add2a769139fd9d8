"""The research export at study scale: 1000 participants with 365 days each.

Seeds the data folder straight to disk in a child process (the same records as
bench/summary_bench.py: 365 daily prompts, 365 ratings and 183 completed runs each), then,
with a fresh store (cold cache), runs ``jeda export`` (the real CLI path: the service reads
each participant once, the core makes the rows, the CSVs are written as they come) and
zips the folder as ``/export`` does. Prints the times, the rows and the peak RSS of the
measuring process (the seeding's memory is the child's). Targets: export < 10 s, peak RSS
< 300 MB. Usage: python bench/export_bench.py [--participants 1000]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--seed-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_into is not None:
        from summary_bench import seed  # type: ignore[import-not-found]

        seed(args.seed_into, 1, args.participants)
        return
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "data", Path(tmp) / "export"
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--participants", str(args.participants),
                        "--seed-into", str(data)], check=True)
        print(f"seeded {args.participants} participants x 365 days in "
              f"{time.perf_counter() - started:.1f} s")
        os.environ["JEDA_DATA_DIR"] = str(data)
        os.environ.pop("JEDA_CONTENT_DIR", None)
        from bot import cli, research

        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            stdout, sys.stdout = sys.stdout, quiet
            try:
                code = cli.main(["export", "--out", str(out)])
            finally:
                sys.stdout = stdout
        export_s = time.perf_counter() - started
        assert code == 0
        size = sum(p.stat().st_size for p in out.iterdir())
        rows = sum(max(0, p.read_text().count("\n") - 1) for p in out.glob("*.csv")
                   if not p.name.startswith("codebook"))
        started = time.perf_counter()
        packed = research.zipped(out)
        zip_s = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"export (jeda export)            {export_s:.2f} s   {rows} rows, "
              f"{size / 1e6:.0f} MB   (target < 10 s)")
        print(f"zip for /export                 {zip_s:.2f} s   {len(packed) / 1e6:.1f} MB")
        print(f"peak RSS of this process        {rss:.0f} MB   (target < 300 MB)")


if __name__ == "__main__":
    main()
