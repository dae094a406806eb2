"""Gunicorn settings for the baseline: Kettle's own (gunicorn.conf.py), without its logger
class, which would load all of Kettle into the baseline's processes."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = None
errorlog = "-"
