"""A command run where there is no database yet (another folder, before the first `serve`)
says so in one line, naming where it looked, instead of a traceback."""

import subprocess
import sys

import pytest

from .test_serve import app_env


@pytest.mark.parametrize("args", [
    ["report", "XA-2026", "--format", "pdf", "-o", "x.pdf"],
    ["export", "--format", "json", "-o", "all.json"],
    ["token", "someone@example.org"],
])
def test_a_command_without_a_database_fails_in_one_line(tmp_path, args):
    result = subprocess.run([sys.executable, "-m", "acsreview", *args], cwd=tmp_path,
                            env=app_env(tmp_path / "data"), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert "\n" not in line
    assert line.startswith(f"error: no acsreview database in {tmp_path / 'data'}")
    assert "acsreview serve" in line
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "all.json").exists()
