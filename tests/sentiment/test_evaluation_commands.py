from pathlib import Path

import pytest
from click.testing import CliRunner

from advocacy.sentiment.evaluation import eval_group, read_labelled

DATA = Path(__file__).resolve().parent.parent / "data" / "sentiment"


def run(*args):
    result = CliRunner().invoke(eval_group, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("name", ["dev_sentiment_id.tsv", "dev_sentiment_mixed.tsv", "dev_sentiment_en.tsv"])
def test_eval_sentiment_prints_macro_f1_per_class_metrics_and_confusion_matrix(name):
    output = run("sentiment", DATA / name)
    for key in ("macro-F1:", "precision", "recall", "confusion matrix", "positive", "neutral", "negative"):
        assert key in output


def test_the_development_sets_score_well_above_stock_vader():
    ours = run("sentiment", DATA / "dev_sentiment_id.tsv")
    stock = run("sentiment", DATA / "dev_sentiment_id.tsv", "--scorer", "vader")
    macro = lambda out: float(out.split("macro-F1: ")[1].split()[0])  # noqa: E731
    assert macro(ours) >= 0.85 > macro(stock)


def test_eval_sentiment_language_filter_uses_the_detected_language_without_a_language_column(tmp_path):
    path = tmp_path / "two.tsv"
    path.write_text("text\tlabel\nthe service was great\tpositive\npelayanannya mantap banget\tpositive\n", "utf-8")
    output = run("sentiment", path, "--language", "id")
    assert "rows: 1" in output and "{'id': 1}" in output


def test_eval_spam_prints_precision_recall_false_positive_rate_and_the_false_positives():
    output = run("spam", DATA / "dev_spam.tsv")
    for key in ("precision:", "recall:", "false-positive rate:", "false positives ("):
        assert key in output


def test_a_csv_without_header_is_read_as_text_then_label(tmp_path):
    path = tmp_path / "mini.csv"
    path.write_text('"bagus banget, puas",positive\n"jelek, kecewa",negative\n', encoding="utf-8")
    assert [r["label"] for r in read_labelled(path)] == ["positive", "negative"]
    assert "macro-F1: 1.000" in run("sentiment", path)


def test_hashtag_texts_are_rows_not_comments(tmp_path):
    path = tmp_path / "tags.tsv"
    path.write_text("# a comment block\ntext\tlabel\n#keren mantap\tpositive\n", encoding="utf-8")
    assert read_labelled(path) == [{"text": "#keren mantap", "label": "positive"}]
