"""`make bench`: how long the book takes to build, each lab to run, and the test command.

Prints one table. Times are wall-clock seconds on this machine, which is exactly
what a benchmark reports and what the labs and tests never do. Then runs every
``tools/bench_*.py`` (one per chapter that has a speed target) in turn.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGETS = {"lab": 10.0, "test command": 480.0, "warm share": 0.20, "editions": 2.2}


def timed(cmd: list[str]) -> tuple[float, int]:
    """Run ``cmd`` in the repository, quietly; return (seconds, exit code)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, proc.returncode


def build_times() -> dict[str, tuple[float, float]]:
    """Cold build into an empty folder, then a warm rebuild of it: English alone, then both editions."""
    times = {}
    for label, only in (("English edition", ["--edition", "en"]), ("both editions", [])):
        with tempfile.TemporaryDirectory() as out:
            cmd = [sys.executable, str(ROOT / "tools" / "editions.py"), "--path-output", out, *only]
            cold, rc1 = timed(cmd)
            warm, rc2 = timed(cmd)
        if rc1 or rc2:
            print(f"warning: {label} build exited with {rc1} / {rc2}", file=sys.stderr)
        times[label] = (cold, warm)
    return times


def lab_time(path: Path) -> float:
    """Execute one lab in a fresh kernel, as the regression test does."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def main() -> int:
    """Print the table, then run the per-chapter benchmarks."""
    rows: list[tuple[str, float, str]] = []
    times = build_times()
    cold, warm = times["English edition"]
    rows.append(("cold build, English", cold, ""))
    rows.append(("warm rebuild, English", warm,
                 f"{warm / cold:.0%} of cold (target < {TARGETS['warm share']:.0%})"))
    both_cold, both_warm = times["both editions"]
    rows.append(("cold build, both editions", both_cold,
                 f"{both_cold / cold:.2f}x English (target <= {TARGETS['editions']:.1f}x)"))
    rows.append(("warm rebuild, both editions", both_warm, f"{both_warm / warm:.2f}x English"))
    seconds, rc = timed([sys.executable, str(ROOT / "tools" / "build_pdf.py")])
    report = ROOT / "_build" / "pdf" / "report.txt"
    pages = report.read_text(encoding="utf-8").splitlines()[0] if report.is_file() else ""
    rows.append(("make pdf (single-page build + print)", seconds, f"exit {rc}; {pages}"))
    for lab in sorted((ROOT / "labs").glob("*.ipynb")):
        seconds = lab_time(lab)
        verdict = "ok" if seconds < TARGETS["lab"] else "SLOW"
        rows.append((f"lab {lab.stem}", seconds, f"target < {TARGETS['lab']:.0f} s: {verdict}"))
    shutil.rmtree(ROOT / "_build" / "html", ignore_errors=True)
    seconds, rc = timed(["make", "test"])
    rows.append(("make test (cold _build/html)", seconds,
                 f"exit {rc}, target < {TARGETS['test command']:.0f} s"))
    width = max(len(name) for name, _, _ in rows)
    print(f"{'what':<{width}}  {'seconds':>8}  note")
    for name, secs, note in rows:
        print(f"{name:<{width}}  {secs:>8.1f}  {note}")
    for script in sorted((ROOT / "tools").glob("bench_*.py")):
        print(f"\n== {script.stem} ==", flush=True)
        subprocess.run([sys.executable, str(script)], cwd=ROOT, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
