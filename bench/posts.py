"""Rows of questions, perspectives and their notes, made the way Kettle's services keep them.

Deterministic (one random seed); ids ascend, perspectives arrive spread over weeks, and each
question's `perspective_count` counts what readers can see: not the asker's replies, nor
deleted or hidden perspectives (as app.questions.services._recount does).
"""

from datetime import UTC, datetime, timedelta

from words import RARE_WORD, Writer

from app.core.text import render
from app.questions.kinds import PERSPECTIVE_KINDS

KINDS = [*PERSPECTIVE_KINDS, None, None]
EPOCH = datetime(2024, 1, 1, tzinfo=UTC).replace(tzinfo=None)
FIFTY = 50  # the question the harness reads has exactly this many perspectives


class Rows:
    """Builds one batch of rows at a time, keeping ids and counts as the services would."""

    def __init__(self, size, topics, notes, authors, seed=16):
        self.writer = Writer(seed, render)
        self.writer.check()
        self.rng = self.writer.rng
        self.size, self.topics, self.notes, self.authors = size, topics, notes, authors
        self.fifty = size // 2 + 1  # the question with exactly FIFTY perspectives
        self.rare = {2 + size * k // 6 for k in range(1, 6)} - {self.fifty}
        self.step = max(1, 2 * 365 * 24 * 3600 // size)  # two years of questions
        self.answer_id = 0
        self.answers = 0

    def _by(self, share=0.25):
        if self.rng.random() < share:
            return self.rng.choice(self.authors)
        return None, None

    def _notes(self, share):
        if self.rng.random() >= share:
            return []
        return self.rng.sample(self.notes, self.rng.randint(1, 2))

    def _post(self, when, blocks, extra=None):
        account, pseudonym = self._by()
        source, html = self.writer.body(*blocks, extra=extra)
        return {
            "body_source": source,
            "body_html": html,
            "content_note_other": "",
            "created_at": when,
            "edited_at": None,
            "deleted_at": None,
            "hidden_at": None,
            "hidden_reason": None,
            "collapsed_at": None,
            "account_id": account,
            "pseudonym_id": pseudonym,
        }

    def _gone(self, row, deleted, hidden):
        if deleted:
            row.update(
                body_source="", body_html="", deleted_at=row["created_at"] + timedelta(days=1)
            )
        elif hidden:
            row.update(
                hidden_at=row["created_at"] + timedelta(hours=5),
                hidden_reason="Breaks a community rule",
            )

    def _count(self, qid):
        if qid == self.fifty:
            return FIFTY
        roll = self.rng.random()
        if roll < 0.10:
            return 0
        if roll < 0.103:
            return self.rng.randint(50, 120)
        return self.rng.randint(1, 10)

    def batch(self, first, last):
        """Rows for questions first..last: (questions, answers, question notes, answer notes)."""
        questions, answers, qnotes, anotes = [], [], [], []
        for qid in range(first, last + 1):
            special = qid == self.fifty or qid in self.rare
            when = EPOCH + timedelta(seconds=qid * self.step)
            extra = (
                f"Has anyone else found {RARE_WORD} helps on a bad morning?"
                if qid in self.rare
                else None
            )
            row = self._post(when, (2, 5), extra)
            deleted = not special and self.rng.random() < 0.003
            hidden = not special and self.rng.random() < 0.002
            self._gone(row, deleted, hidden)
            row.update(
                id=qid,
                topic_id=self.rng.choice(self.topics),
                title="" if deleted else self.writer.title(),
                replies_closed_at=row["deleted_at"],
                locked_at=None,
                slow_mode_minutes=None,
            )
            notes = [] if deleted or qid == self.fifty else self._notes(0.20)
            qnotes += [{"question_id": qid, "content_note_id": n} for n in notes]
            counted = 0
            for _ in range(self._count(qid)):
                by_asker = qid != self.fifty and not deleted and self.rng.random() < 0.05
                answer = self._post(
                    when + timedelta(seconds=self.rng.randint(60, 40 * 24 * 3600)), (1, 3)
                )
                gone = qid != self.fifty and self.rng.random() < 0.008
                self._gone(answer, gone and self.rng.random() < 0.4, gone)
                if by_asker:
                    answer.update(account_id=row["account_id"], pseudonym_id=None)
                answer.update(
                    question_id=qid,
                    by_asker=by_asker,
                    kind=None if by_asker else self.rng.choice(KINDS),
                    notes=[] if answer["deleted_at"] else self._notes(0.10),
                )
                counted += not by_asker and not answer["deleted_at"] and not answer["hidden_at"]
                answers.append(answer)
            row["perspective_count"] = counted
            questions.append(row)
        answers.sort(key=lambda a: a["created_at"])  # perspectives arrive spread over time
        for answer in answers:
            self.answer_id += 1
            answer["id"] = self.answer_id
            anotes += [
                {"answer_id": self.answer_id, "content_note_id": n} for n in answer.pop("notes")
            ]
        self.answers += len(answers)
        return questions, answers, qnotes, anotes
