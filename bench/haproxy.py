"""Debian's HAProxy in front of two Kettle servers: the configuration the two-server test
(tests/cluster.py) and the benchmark's PostgreSQL run (bench/balanced.py) both use."""

import shutil

# Round robin over servers "a" and "b", each checked on /robots.txt; `{lb}`, `{a}` and
# `{b}` are the ports.
CONFIG = """\
global
    maxconn 256

defaults
    mode http
    option forwardfor
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend kettle
    bind 127.0.0.1:{lb}
    default_backend kettle_servers

backend kettle_servers
    balance roundrobin
    option httpchk
    timeout check 10s
    http-check send meth GET uri /robots.txt ver HTTP/1.1 hdr Host 127.0.0.1
    # Which server answered, so tests can see the balancer use both.
    http-response set-header X-Kettle-Server %s
    server a 127.0.0.1:{a} check inter 2s
    server b 127.0.0.1:{b} check inter 2s
"""


def binary():
    """The haproxy binary (Debian puts it in /usr/sbin, often off a user's PATH), or None."""
    return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
