"""Builds the Common Ground app and serves it: python app.py --host H --port P.

`flask --app app ...` imports this module for the command line; serving is
only done when it runs as a script.
"""
if __name__ == "__main__":
    # Patch the standard library before anything imports it: the server runs on gevent.
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402

from collab import create_app  # noqa: E402

app = create_app()


def main() -> None:
    from collab.runtime.server import serve

    parser = argparse.ArgumentParser(description="Serve Common Ground (HTTP and the live channel).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    serve(app, args.host, args.port)


if __name__ == "__main__":
    main()
