"""Gunicorn settings read automatically from the project folder.

Access logs are off: a request line can hold a keeper link, and the default
format holds the client address. Errors still go to stderr, through a logger
that hides client addresses (gunicorn's own "Invalid request from ip=..." lines
included) and keeper links.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = None
errorlog = "-"
logger_class = "app.web.privacy.GunicornLogger"
