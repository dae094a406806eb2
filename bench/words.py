"""Deterministic Markdown for seeded posts: titles and bodies made from bench/words.txt.

Bodies are built from a pool of pre-rendered blocks (paragraphs and lists), so a million
posts need only a few thousand calls to Kettle's own renderer: a body's HTML is its blocks'
HTML joined, which `Writer.check` confirms against the renderer itself.
"""

import random
from pathlib import Path

WORDS = list(dict.fromkeys(Path(__file__).with_name("words.txt").read_text().split()))
# A word in many posts and one in a handful, for the search benchmark.
COMMON_WORD = "sleep"
RARE_WORD = "marmalade"
COMMON_SHARE = 0.12  # of blocks that carry the common word at least once
POOL_SIZE = 3000

_STARTS = (
    "How do I", "Has anyone", "What helped you when", "Is it normal to", "Should I tell",
    "How did you", "What do you say when", "Does anyone else", "Where can I", "Can I",
    "When did you", "Why do I", "Who do I talk to about", "Is it okay to",
)  # fmt: skip
_WEIGHTS = [1 / (rank + 1) ** 0.7 for rank in range(len(WORDS))]


class Writer:
    """Makes titles and bodies from one random seed; the same seed makes the same posts."""

    def __init__(self, seed, render):
        self.rng = random.Random(seed)
        self.render = render
        self.pool = []
        for _ in range(POOL_SIZE):
            source = self._block()
            self.pool.append((source, render(source)))
        # Two lists in a row would render as one list, so a list never follows a list.
        self.lists = {n for n, (source, _) in enumerate(self.pool) if source.startswith("- ")}

    def words(self, n):
        return self.rng.choices(WORDS, weights=_WEIGHTS, k=n)

    def _sentence(self, low=6, high=18):
        words = self.words(self.rng.randint(low, high))
        if self.rng.random() < 0.08:
            at = self.rng.randrange(len(words))
            words[at] = f"**{words[at]}**" if self.rng.random() < 0.5 else f"*{words[at]}*"
        return " ".join(words).capitalize() + self.rng.choice(".....?!")

    def _block(self):
        roll = self.rng.random()
        if roll < 0.12:
            lines = [f"- {self._sentence(3, 9)}" for _ in range(self.rng.randint(2, 5))]
            block = "\n".join(lines)
        elif roll < 0.16:
            block = "> " + self._sentence()
        else:
            sentences = [self._sentence() for _ in range(self.rng.randint(1, 5))]
            # One idea a line, sometimes, as people write on phones.
            block = ("\n" if self.rng.random() < 0.15 else " ").join(sentences)
        if self.rng.random() < COMMON_SHARE:
            block += f" I could not {COMMON_WORD} for days."
        return block

    def title(self):
        """A question line of 20 to 150 characters, ending in a question mark."""
        start = self.rng.choice(_STARTS)
        return f"{start} {' '.join(self.words(self.rng.randint(3, 10)))}?"[:150]

    def body(self, low, high, extra=None):
        """(source, html) of `low` to `high` blocks from the pool, with an `extra` sentence
        (rendered on its own) at the end when given."""
        picked, last = [], None
        for _ in range(self.rng.randint(low, high)):
            n = self.rng.randrange(POOL_SIZE)
            while last in self.lists and n in self.lists:
                n = self.rng.randrange(POOL_SIZE)
            picked.append(self.pool[n])
            last = n
        if extra:
            picked.append((extra, self.render(extra)))
        return "\n\n".join(s for s, _ in picked), "".join(h for _, h in picked)

    def check(self, samples=200):
        """Raise when joined blocks would not render exactly as a whole body renders."""
        for _ in range(samples):
            source, html = self.body(1, 5)
            if self.render(source) != html:
                raise AssertionError(f"joined blocks render differently:\n{source!r}")
