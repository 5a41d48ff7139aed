from dataclasses import replace

import numpy as np
import pytest

from {{ cookiecutter.package_name }} import data, schema


def test_bundled_data_passes(frame, settings):
    valid, report = data.validate(frame, settings)
    assert valid is not None
    assert report["passed"] and report["failures"] == []
    assert report["rows"] == len(frame) >= settings.min_rows


@pytest.mark.parametrize(
    ("break_data", "failed_check"),
    [
        (lambda f: f.assign(**{next(iter(schema.FEATURES)): -1.0}), "in_range"),
        (lambda f: f.assign(**{next(iter(schema.FEATURES)): np.nan}), "not_nullable"),
        (lambda f: f.drop(columns=[next(iter(schema.FEATURES))]), "column_in_dataframe"),
        (lambda f: f.head(10), "min_rows"),
    ],
    ids=["out-of-range", "nulls", "missing-column", "too-few-rows"],
)
def test_broken_data_fails_with_the_check_named(frame, settings, break_data, failed_check):
    valid, report = data.validate(break_data(frame), settings)
    assert valid is None and not report["passed"]
    assert any(failed_check in failure["check"] for failure in report["failures"])


def test_wrong_target_values_fail(frame, settings):
    broken = frame.assign(**{settings.target: 2})
    _, report = data.validate(broken, settings)
    assert any(f["column"] == settings.target for f in report["failures"])


def test_duplicate_rows_fail(frame, settings):
    _, report = data.validate(frame.iloc[[0, 0, *range(1, len(frame))]], settings)
    assert any("no_duplicate_rows" in f["check"] for f in report["failures"])


def test_null_fraction_threshold(frame, settings):
    column = next(iter(schema.FEATURES))
    few_nulls = frame.copy()
    few_nulls.loc[few_nulls.index[:5], column] = np.nan
    tolerant = replace(settings, max_null_fraction=0.05)
    assert data.validate(few_nulls, tolerant)[0] is not None
    assert data.validate(few_nulls, settings)[0] is None
