"""Gunicorn settings read automatically from the project folder.

Access logs are off: a request line can hold a keeper link, and the default
format holds the client address. Errors still go to stderr, through a logger
that hides client addresses (gunicorn's own "Invalid request from ip=..." lines
included) and keeper links.

The master loads Kettle once, before it starts its workers (preload_app), and freezes what
it loaded out of the garbage collector's way, so the workers share those pages with it
instead of each holding a copy: measured by bench/memory.py, each worker's private memory
(USS) went from about 57 MB to 35 MB. The price: `kill -HUP` restarts the workers on the
code the master loaded, so new code needs a full restart of gunicorn.
"""

import gc
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = None
errorlog = "-"
logger_class = "app.web.privacy.GunicornLogger"
# A request gunicorn cannot read gets Kettle's kind page, not gunicorn's bare one. It is a
# sync worker: gunicorn's `threads` setting applies only to its own "sync" class, so it is
# ignored here.
worker_class = "app.web.worker.KindWorker"
# gunicorn's largest (4,094 by default): a long search address reaches Kettle, which
# explains its 300-character limit; a longer one gets the kind 414 page above.
limit_request_line = 8190
preload_app = True


def pre_fork(server, worker):
    """Configure SQLAlchemy's mappers, which each worker would otherwise do for itself on its
    first query (about 4 MB of private memory each, by bench/memory.py's USS), then move every
    object the master holds into the collector's permanent generation, so a worker's
    collections never write to (and so copy) the pages it shares with the master."""
    if server.cfg.preload_app:
        from sqlalchemy.orm import configure_mappers

        configure_mappers()
    gc.freeze()


def post_fork(server, worker):
    """A worker opens its own database connections: those the master's app may hold are
    dropped (not closed: the master still owns them)."""
    if server.cfg.preload_app:
        from app.web.extensions import db

        with worker.app.wsgi().app_context():
            db.engine.dispose(close=False)
