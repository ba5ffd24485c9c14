"""How the server runs: the gevent server, the period scheduler and work kept off the event loop."""
