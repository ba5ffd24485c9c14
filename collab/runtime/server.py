"""The production server: gevent's WSGI server carrying HTTP and Socket.IO together, in one
process or in several that share the listening socket (`python app.py --workers N`)."""
from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import sys
import time
from typing import Callable

from flask import Flask

log = logging.getLogger(__name__)

# A worker that ends this soon after its start with an error is misconfigured: stop them all
# rather than restart it over and over.
EARLY_EXIT_SECONDS = 10.0
STOP_GRACE_SECONDS = 10.0


def default_workers() -> int:
    """One process per core when the processes can share the live channel (a Redis message
    queue: a comment posted through one process reaches the readers of every other, and
    presence and rate limits are counted in Redis); without Redis, one."""
    from ..config import Config

    return (os.cpu_count() or 1) if Config.SOCKETIO_MESSAGE_QUEUE else 1


def _server(app: Flask, listener):
    from gevent import pywsgi

    class NoDelayServer(pywsgi.WSGIServer):
        def handle(self, sock, address):
            # A response leaves in two writes; without TCP_NODELAY, Nagle's algorithm
            # holds the second one back ~40 ms.
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            return super().handle(sock, address)

    return NoDelayServer(listener, app, log=None, error_log=logging.getLogger("collab.runtime.server"))


def _start_background_work(app: Flask) -> None:
    # In every process: each of these takes its work with a claim or a lock in the
    # database, so with several processes each job still runs once.
    from .scheduler import start_scheduler

    start_scheduler(app)
    from ..mail.worker import start_mail_worker

    start_mail_worker(app)
    from ..notifications.notifier import start_notifier

    start_notifier(app)
    from ..campaigns.worker import start_grouper

    start_grouper(app)


def _serve_until_signalled(app: Flask, server, ready: Callable[[], None] = lambda: None) -> None:
    # The ~150,000 objects of the loaded app (modules, routes, templates, mappers) live as long as
    # the process: left to the collector, every full collection walks them all again, which took
    # 0.3-0.9 s on this machine in the middle of a request. Frozen, collections walk only what
    # requests allocate.
    gc.collect()
    gc.freeze()
    _start_background_work(app)
    server.start()  # accepting from here on
    ready()

    def stop(*_):
        server.stop(timeout=5)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()


def serve(app: Flask, host: str, port: int) -> None:
    server = _server(app, (host, port))
    server.init_socket()
    bound_host, bound_port = server.socket.getsockname()[:2]
    # Printed for scripts (tests, benchmarks) that start the server on port 0.
    print(f"Common Ground is serving on http://{bound_host}:{bound_port}", flush=True)
    _serve_until_signalled(app, server)


def _listen(host: str, port: int):
    from gevent import socket as gsocket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = gsocket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1024)
    listener.setblocking(False)
    return listener


def serve_workers(make_app: Callable[..., Flask], host: str, port: int, workers: int) -> None:
    """Bind the port once, then fork `workers` processes that accept on that socket (the
    kernel hands each connection to one of them). Each builds its own app after the fork,
    so its database pool, Redis connections and background tasks are its own. The parent
    only watches: SIGTERM or SIGINT stops every worker and waits for them; a worker that
    dies is started again."""
    from ..config import Config

    queue = Config.SOCKETIO_MESSAGE_QUEUE
    if not queue:
        raise SystemExit("--workers above 1 needs SOCKETIO_MESSAGE_QUEUE (a Redis URL): without it a comment "
                         "posted through one process would not reach the readers connected to another.")
    overrides = {}
    if Config.RATELIMIT_STORAGE_URI.strip() == "memory://":
        # Limits counted per process would allow N times the limit: count them in the same Redis.
        overrides["RATELIMIT_STORAGE_URI"] = queue
    listener = _listen(host, port)
    bound_host, bound_port = listener.getsockname()[:2]
    ready_read, ready_write = os.pipe()  # each first worker writes a byte once it accepts
    ready_fd = [ready_write]  # None once closed: a restarted worker has nobody to tell

    children: dict[int, tuple[int, float]] = {}  # pid -> (worker number, started at)

    def start(number: int) -> None:
        pid = os.fork()
        if pid == 0:
            if ready_fd[0] is not None:
                os.close(ready_read)
            _run_worker(make_app, overrides, listener, number, ready_fd[0])  # never returns
        children[pid] = (number, time.monotonic())

    stopping = []

    def stop(*_):
        stopping.append(True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for number in range(1, workers + 1):
        start(number)
    os.close(ready_write)
    ready_fd[0] = None
    status = _wait_until_ready(ready_read, workers, children, stopping)
    if status == 0 and not stopping:
        # Printed once every worker accepts, for scripts (tests, benchmarks) that start the server on port 0.
        print(f"Common Ground is serving on http://{bound_host}:{bound_port} ({workers} worker processes)",
              flush=True)
    while not stopping and status == 0:
        try:
            pid, code = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.2)
            continue
        number, started = children.pop(pid)
        exit_code = os.waitstatus_to_exitcode(code)
        if exit_code != 0 and time.monotonic() - started < EARLY_EXIT_SECONDS:
            print(f"worker {number} exited at start-up (status {exit_code}): stopping", file=sys.stderr, flush=True)
            status = exit_code if exit_code > 0 else 1
            break
        print(f"worker {number} ended (status {exit_code}): starting it again", file=sys.stderr, flush=True)
        start(number)
    _stop_children(children)
    listener.close()
    sys.stdout.flush()
    sys.stderr.flush()
    # Nothing is left to tidy: skip the interpreter's teardown, which under gevent's
    # patched threading prints noise about finalised greenlets.
    os._exit(status)


def _wait_until_ready(ready_read: int, workers: int, children: dict, stopping: list) -> int:
    """0 once every worker has said it accepts; a worker's exit status if one ends first."""
    import select

    told = 0
    while told < workers and not stopping:
        readable, _, _ = select.select([ready_read], [], [], 0.2)
        if readable:
            told += len(os.read(ready_read, workers))
            continue
        pid, code = os.waitpid(-1, os.WNOHANG)
        if pid:
            number, _ = children.pop(pid)
            exit_code = os.waitstatus_to_exitcode(code)
            print(f"worker {number} exited at start-up (status {exit_code}): stopping", file=sys.stderr, flush=True)
            return exit_code if exit_code > 0 else 1
    os.close(ready_read)
    return 0


def _stop_children(children: dict[int, tuple[int, float]]) -> None:
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while children and time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid:
            children.pop(pid, None)
        else:
            time.sleep(0.1)
    for pid in children:  # did not stop in time
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _run_worker(make_app: Callable[..., Flask], overrides: dict, listener, number: int,
                ready_write: int | None) -> None:
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        app = make_app(overrides) if overrides else make_app()
        server = _server(app, listener)

        def ready() -> None:
            log.info("worker %s (pid %s) accepting", number, os.getpid())
            if ready_write is not None:
                try:
                    os.write(ready_write, b"1")
                    os.close(ready_write)
                except OSError:
                    pass  # the parent is gone or stopping

        _serve_until_signalled(app, server, ready)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:  # noqa: BLE001 — reported, then the parent decides
        log.exception("worker %s failed", number)
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
