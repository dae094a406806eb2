"""Plant one-line bugs in the rules that keep posts out of sight, and see the tests catch them.

Run with `.venv/bin/python bench/planted_bugs.py` from the project root (add `--all` to run
the whole fast suite for each bug instead of the modules that own these rules). Each bug is
put in place, the tests run (stopping at the first failure), and the file is restored. It
prints one line per bug: "caught" when some test failed, "MISSED" when every test passed.
Exit status 1 if any bug was missed. Not part of `make test`: it runs tests many times.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The modules that own these rules; with --all, the rest of the fast suite runs after them.
OWNERS = [
    f"tests/test_{name}.py"
    for name in (
        "visibility",
        "keeper",
        "public_times",
        "counting",
        "own_posts",
        "browsing",
        "auto_collapse",
    )
]
# (file, exact text, replacement, what the bug does)
BUGS = [
    ("app/questions/visibility.py", "        model.hidden_at.is_(None),\n", "",
     "hidden posts shown in every list"),
    ("app/questions/visibility.py", "        ~_suspended(_pseudonym, model.pseudonym_id, at),\n",
     "", "a suspended pseudonym's posts shown in every list"),
    ("app/questions/visibility.py",
     "return is_suspended(post.pseudonym if post.pseudonym_id is not None else None)",
     "return False", "a suspended pseudonym's loaded post counts as visible"),
    ("app/questions/visibility.py", "return shown if collapsed else [*shown, "
     "model.collapsed_at.is_(None)]", "return shown", "collapsed posts shown in every list"),
    ("app/questions/visibility.py", "if not hidden and post.hidden_at is not None:",
     "if False:", "a hidden post counts as visible"),
    ("app/questions/visibility.py", "if not collapsed and post.collapsed_at is not None:",
     "if False:", "a collapsed post counts as visible"),
    ("app/questions/visibility.py", "stmt = stmt.where(model.deleted_at.is_(None))", "pass",
     "deleted posts listed"),
    ("app/questions/visibility.py",
     "stmt = stmt.where(model.question.has(and_(*_held_back(question, collapsed=True))))",
     "pass",
     "answers on a hidden question listed"),
    ("app/questions/visibility.py", "return stmt.where(model.deleted_at.is_(None))",
     "return stmt.where(model.deleted_at.is_(None), model.hidden_at.is_(None))",
     "an author loses sight of their own hidden post"),
    ("app/questions/visibility.py", "return removed or post.deleted_at is None",
     "return True", "a loaded deleted post counts as visible (repeats, the log)"),
    ("app/readers/titles.py",
     "if question.is_hidden and not (prefs is not None and prefs.owns(question)):",
     "if False:", "a hidden question's title shown"),
    ("app/readers/titles.py", "if question.is_deleted:", "if False:",
     "a removed question's title shown"),
    ("app/questions/queries.py", "return visible(select(Question), Question)",
     "return select(Question)", "lists skip the visibility rule"),
    ("app/questions/queries.py",
     "query = visible(select(model), model).where(model.pseudonym_id == pseudonym_id)",
     "query = select(model).where(model.pseudonym_id == pseudonym_id)",
     "/p/ pages skip the visibility rule"),
    ("app/questions/queries.py",
     'query = visible(select(Question.topic_id, func.count(Question.id)), Question)',
     "query = select(Question.topic_id, func.count(Question.id))",
     "topic counts include hidden questions"),
    ("app/questions/services.py",
     "counted = visible(counted, Answer, within=question_id).scalar_subquery()",
     "counted = counted.where(Answer.question_id == question_id).scalar_subquery()",
     "hidden perspectives counted"),
    ("templates/_partials/post.html", "{% if a.edited_at %} · edited{% endif %}", "",
     "a perspective's edited marker dropped"),
    ("templates/questions/show.html", "{% if question.edited_at %} · edited{% endif %}", "",
     "a question's edited marker dropped"),
]  # fmt: skip


def main():
    paths = [*OWNERS, "tests"] if "--all" in sys.argv else OWNERS
    missed = 0
    for relative, old, new, what in BUGS:
        path = ROOT / relative
        original = path.read_text()
        if original.count(old) != 1:
            print(f"SKIPPED  {what}: the text to change is not in {relative} exactly once")
            missed += 1
            continue
        path.write_text(original.replace(old, new))
        try:
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                 "-m", "not browser and not slow", *paths],
                cwd=ROOT, capture_output=True, text=True, check=False,
            )  # fmt: skip
        finally:
            path.write_text(original)
        caught = run.returncode != 0
        missed += not caught
        print(f"{'caught' if caught else 'MISSED'}   {what}", flush=True)
    print(f"{len(BUGS) - missed} of {len(BUGS)} planted bugs caught")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
