"""Common Ground under uWSGI's gevent loop, for bench/fanout.py --server uwsgi (measured as an
option: uWSGI frames WebSocket messages in C; Flask-SocketIO's async mode "gevent_uwsgi").

  uwsgi --http-socket 127.0.0.1:5000 --http-websockets --gevent 2000 --gevent-early-monkey-patch \
        --wsgi-file bench/uwsgi_app.py --callable app

The scheduler, mail worker and notifier that `python app.py` starts are not started here.
"""
from collab import create_app

import os

app = create_app({"SOCKETIO_ASYNC_MODE": "gevent_uwsgi"})
# The line bench/fanout.py waits for (uWSGI binds before it loads the app).
print(os.environ.get("FANOUT_SERVING_LINE", "loaded"), flush=True)
