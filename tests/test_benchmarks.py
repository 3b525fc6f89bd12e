"""The benchmarks still run: a schema change that one of them does not follow fails here, not
in the next measurement. Figures are not checked (timings belong in benchmarks/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_scaling_benchmark_runs_on_postgresql(postgres_url: str) -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "scale.py"),
            "--database-url",
            postgres_url,
            "--messages",
            "60",
            "--cases",
            "3000",
            "--requests",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "2 workers / 1:" in run.stdout
    assert "generated 3000 cases" in run.stdout
    assert "queue: overdue" in run.stdout
