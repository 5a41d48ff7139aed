"""The data contract's rules, checked on rows made from it and then broken one at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import tomlkit
from gate_project import write_rows

from {{ cookiecutter.package_name }} import config
from {{ cookiecutter.package_name }}.data import tables


def bounded(settings):
    """A numeric input with a lower or upper limit (skip when the contract has none)."""
    found = [c for c in settings.contract.inputs if c.kind == "numeric"]
    found = [c for c in found if c.min is not None or c.max is not None]
    return found[0] if found else pytest.skip("no numeric input with a range in the contract")


def required(settings):
    """An input that may not be missing (skip when every input may be)."""
    found = [c for c in settings.contract.inputs if c.max_missing == 0]
    return found[0] if found else pytest.skip("every input may be missing")


def outside(column) -> float:
    return column.min - 1 if column.min is not None else column.max + 1


def checks(report) -> set[str]:
    return {f"{c['column']}: {c['check']}" for c in report["causes"]}


def test_rows_made_from_the_contract_pass(frame, settings):
    valid, report = tables.validate(frame, settings)
    assert valid is not None, report["causes"]
    assert report["passed"] and report["failures"] == [] and report["causes"] == []
    assert report["rows"] == len(frame) >= settings.min_rows
    assert set(valid[settings.target]) <= {0, 1}


def test_out_of_range_values_fail(frame, settings):
    column = bounded(settings)
    _, report = tables.validate(frame.assign(**{column.name: outside(column)}), settings)
    cause = next(c for c in report["causes"] if c["column"] == column.name)
    assert cause["count"] == len(frame) and cause["check"].startswith(("greater", "less"))


def test_missing_values_where_none_are_allowed_fail(frame, settings):
    column = required(settings)
    _, report = tables.validate(frame.assign(**{column.name: np.nan}), settings)
    assert f"{column.name}: not_nullable" in checks(report)


def test_a_missing_column_is_the_first_cause(frame, settings):
    first, last = settings.contract.inputs[0], settings.contract.inputs[-1]
    broken = frame.drop(columns=[first.name]).head(max(1, settings.min_rows - 1))
    if last.kind == "numeric" and last.name != first.name:
        broken = broken.assign(**{last.name: "not a number"})
    _, report = tables.validate(broken, settings)
    assert report["causes"][0] == {
        "column": first.name,
        "check": "column_in_dataframe",
        "count": 1,
        "examples": [first.name],
    }
    assert f"column {first.name!r} is missing" in tables.causes.summary(report)


def test_too_few_rows_fail(frame, settings):
    if settings.min_rows < 2:
        pytest.skip("min_rows is 1")
    _, report = tables.validate(frame.head(settings.min_rows - 1), settings)
    assert any(c["check"].startswith("min_rows") for c in report["causes"])


def test_a_third_target_value_fails_and_unlabelled_rows_are_set_aside(frame, settings):
    third = frame.assign(**{settings.target: frame[settings.target].astype(object)})
    third.loc[third.index[0], settings.target] = "a third value"
    _, report = tables.validate(third, settings)
    assert report["causes"][0]["check"] == "target" and "3 values" in tables.causes.summary(report)

    unlabelled = frame.astype({settings.target: object})
    unlabelled.loc[unlabelled.index[:3], settings.target] = None
    valid, report = tables.validate(unlabelled, settings)
    assert valid is not None and report["unlabelled_rows"] == 3 and len(valid) == len(frame) - 3


def test_duplicates_fail(frame, settings):
    _, report = tables.validate(frame.iloc[[0, 0, *range(1, len(frame))]], settings)
    expected = "no_duplicate_identifiers" if settings.contract.identifiers else "no_duplicate_rows"
    assert any(c["check"] == expected for c in report["causes"])


def test_share_of_missing_values(frame, settings):
    column = required(settings)
    few_missing = frame.copy()
    few_missing.loc[few_missing.index[:5], column.name] = np.nan
    assert tables.validate(few_missing, settings)[0] is None
    path = settings.contract_path
    document = tomlkit.parse(path.read_text())
    document["columns"][column.name]["max_missing"] = 0.05
    path.write_text(tomlkit.dumps(document))
    assert tables.validate(few_missing, config.load(settings.root))[0] is not None


def test_an_unknown_category_fails(settings):
    """On a categorical column of the test's own, added to the contract."""
    document = tomlkit.parse(settings.contract_path.read_text())
    document["columns"]["plan"] = {"kind": "categorical", "values": ["basic", "pro"]}  # type: ignore[index]
    settings.contract_path.write_text(tomlkit.dumps(document))
    write_rows(settings.root)
    with_plan = config.load(settings.root)
    frame = pd.read_csv(with_plan.data_path)
    assert tables.validate(frame, with_plan)[0] is not None
    _, report = tables.validate(frame.assign(plan="never seen before"), with_plan)
    assert "plan: isin(['basic', 'pro'])" in checks(report)
