"""Texts/s of the full assessor pipeline beside plain VADER's, measured in the same run on the same texts.

Usage: python bench/bench_sentiment.py [--n 20000] [--repeat 5] [--verbatim-repeats] [--batch [--batch-size 1000]]
The texts are the team's development sets (Indonesian, mixed, English, spam and ham) cycled to --n,
each addressed to a distinct made-up name ("Rina: ..."), so that, as in a real feed, few texts
repeat verbatim. --verbatim-repeats cycles them unchanged while the authors rotate: nearly every
post is then the same text from a new author, the worst case for the duplicate window.
--batch adds wall-clock texts/s of plain VADER, the sequential pipeline and
advocacy.sentiment.batch.assess_many (worker processes) over calls of --batch-size texts: the
batch path spends CPU time in other processes, so only wall-clock time compares them.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime, timedelta
from itertools import cycle, islice
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from advocacy.sentiment.evaluation import read_labelled
from advocacy.sentiment.scorer import LanguageAwareAssessor

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "sentiment"


SYLLABLES = ("ra", "ni", "to", "ma", "su", "di", "ka", "le", "wi", "jo", "ba", "ri", "nu", "se", "fa", "go")


def name(i: int) -> str:
    """A distinct pronounceable name for every i."""
    parts = []
    while True:
        i, r = divmod(i, len(SYLLABLES))
        parts.append(SYLLABLES[r])
        if i == 0:
            return "".join(parts).capitalize()


def corpus(n: int, verbatim: bool = False) -> list[str]:
    """n short social posts cycled from the development sets."""
    texts = [row["text"] for path in sorted(DATA.glob("dev_*.tsv")) for row in read_labelled(path)]
    cycled = islice(cycle(texts), n)
    return list(cycled) if verbatim else [f"{name(i + 17)}: {text}" for i, text in enumerate(cycled)]


def rate(score, texts: list[str], repeat: int) -> float:
    """Best texts/s over `repeat` passes, in CPU time of this process (other load does not count)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for text in texts:
            score(text)
        best = min(best, time.process_time() - start)
    return len(texts) / best


def wall_rate(run, count: int, repeat: int) -> float:
    """Best texts/s over `repeat` calls of run(), in wall-clock time."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return count / best


def batch_rates(texts: list[str], authors: list, repeat: int, size: int) -> None:
    """Wall-clock texts/s: plain VADER, sequential assess, assess_many on worker processes."""
    from advocacy.sentiment import batch

    ready = batch.start(wait=30.0)
    vader = SentimentIntensityAnalyzer()
    sequential, batched = LanguageAwareAssessor(), LanguageAwareAssessor()
    items = [(text, author, moment) for text, (author, moment) in zip(texts, authors)]

    def one_by_one() -> None:
        for text, author, moment in items:
            sequential.assess(text, author=author, occurred_at=moment)

    def in_batches() -> None:
        for start in range(0, len(items), size):
            batch.assess_many(batched, items[start : start + size])

    plain = seq = many = 0.0
    for _ in range(repeat):
        plain = max(plain, wall_rate(lambda: [vader.polarity_scores(t) for t in texts], len(texts), 1))
        seq = max(seq, wall_rate(one_by_one, len(items), 1))
        many = max(many, wall_rate(in_batches, len(items), 1))
    print(f"wall clock, {len(items)} texts, calls of {size}, {ready} workers (os.cpu_count() = {os.cpu_count()}):")
    print(f"plain VADER 3.3.2:  {plain:10,.0f} texts/s")
    print(f"sequential assess:  {seq:10,.0f} texts/s")
    print(f"assess_many:        {many:10,.0f} texts/s  ({many / seq:.2f} x sequential, {many / plain:.2f} x VADER)")
    batch.shutdown()


def main() -> None:
    """Print plain VADER's rate, the pipeline's rate and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--verbatim-repeats", action="store_true")
    parser.add_argument("--batch", action="store_true", help="also time assess_many on worker processes")
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    texts = corpus(args.n, args.verbatim_repeats)
    vader = SentimentIntensityAnalyzer()
    assessor = LanguageAwareAssessor()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    authors = [(f"twitter:@user{i % 997}", start + timedelta(seconds=i)) for i in range(len(texts))]
    pairs = iter(cycle(authors))

    def pipeline(text: str) -> None:
        author, moment = next(pairs)
        assessor.assess(text, author=author, occurred_at=moment)

    plain = full = 0.0
    for _ in range(args.repeat):  # alternate, so that load from other processes hits both alike
        plain = max(plain, rate(vader.polarity_scores, texts, 1))
        full = max(full, rate(pipeline, texts, 1))
    kind = "verbatim repeats" if args.verbatim_repeats else "distinct"
    print(f"texts: {len(texts)} (development sets cycled, {kind}), best of {args.repeat}, CPU time")
    print(f"plain VADER 3.3.2:  {plain:10,.0f} texts/s")
    print(f"full pipeline:      {full:10,.0f} texts/s  (preprocess + language + spam + VADER rules)")
    print(f"ratio: {full / plain:.2f} (target >= 0.50)")
    if args.batch:
        batch_rates(texts, authors, args.repeat, args.batch_size)


if __name__ == "__main__":
    main()
