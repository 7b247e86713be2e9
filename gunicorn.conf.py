"""gunicorn's settings, read from the environment: `make serve` and docker-compose.yml both use it.

GUNICORN_WORKERS (default 2 × cores + 1), GUNICORN_THREADS (1), GUNICORN_TIMEOUT (120 s),
GUNICORN_BIND (127.0.0.1:8000), GUNICORN_ACCESS_LOG ("-": standard output; empty: none).
Options given on gunicorn's command line win over these.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Each worker is a process with its own database connection: the usual rule of thumb for a
# CPU-bound Django app, which keeps the cores busy while some workers wait on PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * multiprocessing.cpu_count() + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A worker silent for this long is killed and restarted (its request fails with a 502 at the proxy).
# A sync worker does not report in while it streams a response, and a CSV of every event
# (100,000 rows) takes about 30 s to stream (bench/README.md): hence more than gunicorn's 30 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = timeout
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# Load the app once in the master: a broken setting (no SECRET_KEY) stops the server at start
# instead of every worker failing in turn.
preload_app = True
# No control socket (gunicornc): its default path, one per user, would be shared by every server
# on the machine.
control_socket_disable = True
