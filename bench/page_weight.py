"""Page-weight budget: a question page with 20 perspectives, with its CSS and JS.

Prints the figures and exits 1 when over budget (60 KB raw, 15 KB gzipped).
Run: .venv/bin/python bench/page_weight.py
"""

import gzip
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from app import create_app
from app.accounts.identity import Author
from app.questions import services
from app.topics.models import ContentNote, Topic
from app.topics.seed import seed_defaults
from app.web.extensions import db

RAW_BUDGET = 60 * 1024
GZIP_BUDGET = 15 * 1024
ANSWER = (
    "When I was in a similar place, what helped was **writing down** what I wanted to say "
    "before the meeting, and deciding in advance what I would keep to myself. "
    "It took me a few tries, and it was fine to change my mind halfway through.\n\n"
    "- Take someone with you if you can\n- Ask for a break\n- It is your story to tell"
)


def build(app):
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        seed_defaults()
        topic = db.session.query(Topic).first()
        notes = db.session.query(ContentNote).limit(2).all()
        fields = {"title": "Should I tell my new manager about my diagnosis before I start?",
                  "body": ANSWER, "content_notes": notes[:1], "content_note_other": ""}  # fmt: skip
        question = services.ask(topic, Author(), fields).post
        for n in range(20):
            answer = {"body": ANSWER, "content_notes": notes if n % 4 == 0 else [],
                      "content_note_other": "", "kind": "own-experience"}  # fmt: skip
            services.answer(question, Author(), answer)
        return question.id


def main():
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                                    "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})  # fmt: skip
        question_id = build(app)
        client = app.test_client()
        html = client.get(f"/q/{question_id}").data
        assets = re.findall(rb'(?:href|src)="(/assets/[^"]+)"', html)
        parts = {"html": html}
        for url in assets:
            response = client.get(url.decode())
            parts[url.decode().split("?")[0]] = response.data
            response.close()
        with app.app_context():
            db.engine.dispose()
    raw = sum(len(body) for body in parts.values())
    zipped = sum(len(gzip.compress(body, 9)) for body in parts.values())
    for name, body in parts.items():
        print(f"{name:32} {len(body):7d} B raw {len(gzip.compress(body, 9)):7d} B gzipped")
    print(f"{'total':32} {raw:7d} B raw {zipped:7d} B gzipped")
    print(f"budget: {RAW_BUDGET} B raw, {GZIP_BUDGET} B gzipped")
    over = raw > RAW_BUDGET or zipped > GZIP_BUDGET
    print("OVER BUDGET" if over else "within budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
