"""The production server: gevent's WSGI server carrying HTTP and Socket.IO together."""
from __future__ import annotations

import logging
import signal
import socket

from flask import Flask

log = logging.getLogger(__name__)


def serve(app: Flask, host: str, port: int) -> None:
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

    server = NoDelayServer((host, port), app, log=None, error_log=logging.getLogger("collab.runtime.server"))
    server.init_socket()
    bound_host, bound_port = server.socket.getsockname()[:2]
    # Printed for scripts (tests, benchmarks) that start the server on port 0.
    print(f"Common Ground is serving on http://{bound_host}:{bound_port}", flush=True)

    from .scheduler import start_scheduler

    start_scheduler(app)
    from ..mail.worker import start_mail_worker

    start_mail_worker(app)
    from ..notifications.notifier import start_notifier

    start_notifier(app)
    from ..campaigns.worker import start_grouper

    start_grouper(app)

    def stop(*_):
        server.stop(timeout=5)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()
