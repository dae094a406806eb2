"""Each server process holds only what serving pages needs.

Complaint: "every gunicorn worker holds Alembic and zxcvbn's word lists (about 35 MB) for
commands and password changes it may never see." They load when needed, and what needs them
works as before.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from app.accounts import passwords

ROOT = Path(__file__).resolve().parent.parent
LOADED = """
import json, sys
import wsgi
before = [name for name in ("alembic", "flask_migrate", "zxcvbn") if name in sys.modules]
from app.accounts import passwords
refused = passwords.problem("password123") is not None
after = [name for name in ("alembic", "flask_migrate", "zxcvbn") if name in sys.modules]
print(json.dumps({"before": before, "refused": refused, "after": after}))
"""


def _env(tmp_path):
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
            "SECRET_KEY": "kettle-tests-only-secret", "INSTANCE_PATH": str(tmp_path)}  # fmt: skip


def _python(tmp_path, *args):
    """The output of a fresh Python run with `args` in the project folder; fails the test
    when it fails."""
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_serving_pages_loads_neither_alembic_nor_the_password_lists(tmp_path):
    seen = json.loads(_python(tmp_path, "-c", LOADED).strip().splitlines()[-1])
    assert seen["before"] == []
    # Choosing a password still checks it against the common ones, loading them then.
    assert seen["refused"] is True
    assert seen["after"] == ["zxcvbn"]


def test_common_passwords_are_refused_and_others_allowed():
    assert passwords.problem("iloveyou12") is not None
    assert passwords.problem("Password123") is not None  # folded before the check
    assert passwords.problem("aaaaaaaaaaaa") is not None
    assert passwords.problem("three quiet kettles boiling") is None


def test_an_operators_migration_commands_still_work(tmp_path):
    """`flask init-db` and `flask db ...` load Alembic when they run, and do their work."""
    flask = ("-m", "flask", "--app", "wsgi")
    assert "Database is up to date" in _python(tmp_path, *flask, "init-db")
    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    assert f"{head} (head)" in _python(tmp_path, *flask, "db", "current")
    assert "upgrade" in _python(tmp_path, *flask, "db", "--help")


# Complaint: "each worker configures SQLAlchemy's mappers for itself on its first query,
# holding its own copy (about 4 MB) of what the master could configure once for all."
PRE_FORK = """
import gc, json, runpy, types
from sqlalchemy import inspect
import wsgi
from app.questions.models import Question
settings = runpy.run_path("gunicorn.conf.py")
before = inspect(Question).configured
server = types.SimpleNamespace(cfg=types.SimpleNamespace(preload_app=True))
settings["pre_fork"](server, None)
print(json.dumps({"before": before, "after": inspect(Question).configured,
                  "frozen": gc.get_freeze_count() > 0}))
"""


def test_the_master_configures_the_mappers_before_forking_a_worker(tmp_path):
    seen = json.loads(_python(tmp_path, "-c", PRE_FORK).strip().splitlines()[-1])
    assert seen == {"before": False, "after": True, "frozen": True}
