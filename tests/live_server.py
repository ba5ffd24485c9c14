"""Start real server processes (python app.py) for tests that need the real transport:
Origin checks, several processes sharing Redis, browsers."""
from __future__ import annotations

import atexit
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "common-ground-demo"


class LiveServer:
    def __init__(self, process: subprocess.Popen, url: str, output: list[str] | None = None):
        self.process = process
        self.url = url
        self.output = output if output is not None else []  # what the server printed, line by line

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout and not self.process.stdout.closed:
            try:
                self.process.stdout.close()
            except (OSError, ValueError):
                pass  # the drain thread may be reading it


def flask_command(args: list[str], env: dict) -> subprocess.CompletedProcess:
    """Run `flask --app app ...` with `env` added to the environment."""
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True, check=True)


_demo_template_lock = threading.Lock()
_demo_template: tuple[Path, str] | None = None


def demo_database(path: Path) -> tuple[str, str]:
    """A SQLite database at `path`, migrated and loaded with the demo (password DEMO_PASSWORD),
    as `flask db upgrade` and `flask demo` make it: the URL and what `flask demo` printed.
    Those two commands run once per test run, into a template that each call copies: they
    cost tens of seconds of CPU each time on a loaded machine, a copy a few milliseconds."""
    global _demo_template
    with _demo_template_lock:
        if _demo_template is None:
            directory = Path(tempfile.mkdtemp(prefix="common-ground-demo-"))
            atexit.register(shutil.rmtree, directory, True)
            env = {"DATABASE_URL": f"sqlite:///{directory / 'demo.sqlite3'}", "SECRET_KEY": "demo-template"}
            flask_command(["db", "upgrade"], env)
            printed = flask_command(["demo", "--password", DEMO_PASSWORD], env).stdout
            _demo_template = (directory / "demo.sqlite3", printed)
    template, printed = _demo_template
    # SQLite's backup copies a consistent database whatever the state of its WAL file.
    source, target = sqlite3.connect(template), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return f"sqlite:///{path}", printed


def start_server(env: dict, timeout: float = 30, args: tuple[str, ...] = ()) -> LiveServer:
    """Serve the app on a free port with `env` added to the environment; wait until it listens.
    `args` go to app.py (e.g. ("--workers", "2"))."""
    process = subprocess.Popen(
        [sys.executable, "app.py", "--host", "127.0.0.1", "--port", "0", *args], cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + timeout
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        lines.append(line)
        match = re.search(r"serving on (http://\S+)", line)
        if match:
            return LiveServer(process, match.group(1), _drain(process, lines))
    process.kill()
    raise RuntimeError("the server did not start:\n" + "".join(lines))


def _drain(process: subprocess.Popen, lines: list[str]) -> list[str]:
    """Keep reading the server's output so a full pipe never blocks it; keep the lines."""
    import threading

    def _read():
        for line in process.stdout:
            lines.append(line)

    threading.Thread(target=_read, daemon=True).start()
    return lines
