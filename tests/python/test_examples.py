"""The Python example and the README's Python section run as written."""

import os
import re
import subprocess
import sys

from conftest import ROOT


def _run(args, cwd):
    # The scripts run elsewhere: the package's path entries must not be relative.
    paths = [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=os.pathsep.join(paths))
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_quickstart_example(tmp_path):
    done = _run([str(ROOT / "examples" / "python" / "quickstart.py"), str(tmp_path / "x.db")],
                tmp_path)
    assert done.returncode == 0, done.stderr
    assert "admin@dealer.in" in done.stdout
    assert "refused: DUPLICATE on email" in done.stdout
    assert "invoice PAID: 1000.00 + CGST 90.00 + SGST 90.00 = 1180.00" in done.stdout
    assert "MH01AB1234: 1 service, 1180.00 spent" in done.stdout


def readme_block(heading, language):
    text = (ROOT / "README.md").read_text()
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.search(rf"```{language}\n(.*?)```", section, re.S).group(1)


def test_readme_python_section(tmp_path):
    script = tmp_path / "readme.py"
    script.write_text(readme_block("Embedding from Python", "python"))
    done = _run([str(script)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Decimal('10') 2500.00", "NOT_FOUND 300"]
