"""`acsreview bench report` runs end to end and prints its figures against the floor."""

import os
import subprocess
import sys
from pathlib import Path


def test_bench_report_prints_its_figures(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["ACSREVIEW_DATA_DIR"] = str(tmp_path)
    command = Path(sys.executable).with_name("acsreview")
    done = subprocess.run([str(command), "bench", "report", "--jurisdictions", "4",
                           "--repeat", "1"], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    last = dict(pair.split("=") for pair in done.stdout.strip().splitlines()[-1].split())
    assert last["jurisdictions"] == "4"
    for key in ("seconds", "floor_seconds", "compare_seconds", "compare_floor_seconds"):
        assert float(last[key]) > 0
    # the floor renders the same HTML without charts or PDF: it must be the cheaper one
    assert float(last["floor_seconds"]) < float(last["seconds"])
    assert float(last["compare_floor_seconds"]) < float(last["compare_seconds"])
    assert last["met"] in {"yes", "no"}
