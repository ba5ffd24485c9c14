"""Builds the Common Ground app and serves it: python app.py --host H --port P [--workers N].

`flask --app app ...` imports this module for the command line; serving is
only done when it runs as a script (each worker process builds its own app).
"""
if __name__ == "__main__":
    # Patch the standard library before anything imports it: the server runs on gevent.
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402

from collab import create_app  # noqa: E402


def main() -> None:
    from collab.runtime.server import default_workers, serve, serve_workers

    parser = argparse.ArgumentParser(description="Serve Common Ground (HTTP and the live channel).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=None,
                        help="server processes sharing the port (default: one per core when "
                             "SOCKETIO_MESSAGE_QUEUE names a Redis, else 1)")
    args = parser.parse_args()
    workers = default_workers() if args.workers is None else args.workers
    if workers < 1:
        parser.error("--workers must be at least 1")
    if workers == 1:
        serve(create_app(), args.host, args.port)
    else:
        serve_workers(create_app, args.host, args.port, workers)


if __name__ == "__main__":
    main()
else:
    app = create_app()
