"""The README's examples work on a fresh clone: each `kg search` and `kg query` line of its
Examples block is run against a build of the bundled report and must answer something."""
import re
import shlex
import subprocess
import sys

from conftest import ROOT


def example_lines() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("Examples:", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines()
            if line.startswith(("kg search", "kg query"))]


def test_readme_examples_answer(built_data):
    lines = example_lines()
    assert len(lines) >= 4
    for line in lines:
        stdin = None
        if " < " in line:
            line, path = line.split(" < ")
            stdin = (ROOT / path.strip()).read_text(encoding="utf-8")
        args = shlex.split(line)[1:]
        r = subprocess.run([sys.executable, "-m", "app.cli", *args, "--data", str(built_data)], input=stdin,
                           capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert r.returncode == 0 and r.stdout.strip(), f"{line}: {r.stderr}"
        assert not r.stdout.startswith("0 hit(s)"), f"{line} finds nothing"


def test_serve_refuses_a_port_out_of_range_and_a_port_in_use(tmp_path, built_data):
    import socket
    r = subprocess.run([sys.executable, "-m", "app.cli", "serve", "--port", "99999", "--data", str(built_data)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "99999" in r.stderr and "serving" not in r.stdout
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--data", str(built_data)],
                           capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "in use" in r.stderr and "serving" not in r.stdout
