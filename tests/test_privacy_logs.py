"""No log line, Kettle's, gunicorn's or the dev server's, holds a client's address or a secret.

Real servers are started and sent broken requests from 127.0.0.2, then their logs are read.
"""

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.web.privacy import RedactingFilter, redact
from tests.test_scale_out import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLIENT = "127.0.0.2"
KEEPER = "/keep/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg"

# Each is something a careless or hostile client sends; none may put its address in a log.
BAD_REQUESTS = {
    "a malformed request line": b"GARBAGE\r\n\r\n",
    "an over-long URL": b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "a header name with a space": b"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
    "a request line with a keeper link": b"GET " + KEEPER.encode() + b" HTP/1.1\r\n\r\n",
    "a request that raises in the app": b"GET " + KEEPER.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "a page that fails": b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
}


def send_from_another_address(port, raw):
    with socket.create_connection(("127.0.0.1", port), 5, source_address=(CLIENT, 0)) as sock:
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)
        try:
            while sock.recv(65536):
                pass
        except OSError:
            pass


def serve_and_read_logs(command, tmp_path, port):
    # The database is never migrated, so every page that reads it raises inside the app.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
           "SECRET_KEY": "log-test-secret", "FLASK_DEBUG": "0"}  # fmt: skip
    log = (tmp_path / "server.log").open("w+b")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        wait_for(port, process)
        for raw in BAD_REQUESTS.values():
            send_from_another_address(port, raw)
        time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=20)
    log.seek(0)
    text = log.read().decode("utf-8", "replace")
    log.close()
    return text


@pytest.mark.slow
def test_gunicorn_logs_no_client_address_for_broken_requests(tmp_path):
    port = free_port()
    command = [BIN / "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    logs = serve_and_read_logs(command, tmp_path, port)
    # gunicorn did see the broken requests; Kettle's worker logs them without any address
    assert "Invalid request: " in logs and "ip=" not in logs
    assert "Exception on /keep/[secret]" in logs  # and the app's crash was logged
    assert CLIENT not in logs
    assert KEEPER not in logs


@pytest.mark.slow
def test_the_development_server_logs_no_client_address(tmp_path):
    port = free_port()
    command = [BIN / "flask", "--app", "wsgi", "serve", "--host", "127.0.0.1", "--port", str(port)]
    logs = serve_and_read_logs(command, tmp_path, port)
    assert "Bad request" in logs or "Bad HTTP" in logs or "400" in logs
    assert "Exception on /keep/[secret]" in logs
    assert CLIENT not in logs
    assert KEEPER not in logs


@pytest.mark.parametrize(
    "line",
    [
        "Invalid request from ip=198.51.100.7: Invalid HTTP request line: 'GARBAGE'",
        "Proxy request from '2001:db8:1:2::9' not allowed",
        "peer ('::ffff:203.0.113.9', 51234) went away",
        "[fe80::1%eth0]:443 reset the connection",
    ],
)
def test_any_address_in_a_log_line_is_hidden(line):
    cleaned = redact(line)
    for address in ("198.51.100.7", "2001:db8:1:2::9", "203.0.113.9", "fe80::1"):
        assert address not in cleaned
    assert "[address]" in cleaned


def test_times_and_versions_in_log_lines_are_left_alone():
    line = "worker booted at 20:14:02 with Python 3.11.2 and gunicorn 23.0.0"
    assert redact(line) == line


def test_an_address_in_a_traceback_is_hidden_too():
    try:
        raise ConnectionError("reset by 198.51.100.7")
    except ConnectionError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "198.51.100.7" not in formatted
    assert "reset by [address]" in formatted


@pytest.mark.settings(TESTING=False, PROPAGATE_EXCEPTIONS=False)
def test_a_crash_on_a_keeper_page_logs_no_keeper_link(client, make, monkeypatch, caplog):
    from app.keeper import steward

    posted = make.question()

    def broken(token):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(steward.services, "find", broken)
    with caplog.at_level(logging.ERROR):
        assert client.get(f"/keep/{posted.keeper_token}").status_code == 500
    assert "Exception on /keep/[secret]" in caplog.text
    assert posted.keeper_token not in caplog.text


def test_database_errors_hide_their_parameters(app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True


def test_keeper_and_feed_secrets_are_redacted_however_written():
    from app.web.privacy import redact

    for path in (
        "/keep/SECRET",
        "//keep//SECRET",
        "/keep%2FSECRET",
        "/KEEP/SECRET/edit",
        "/feed/SECRET",
    ):
        assert "SECRET" not in redact(f'"GET {path} HTTP/1.1" 200'), path
