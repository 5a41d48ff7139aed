"""Batch prediction with the champion: every row is either predicted or rejected with reasons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_schema import bounded, outside, required

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.data import tables
from {{ cookiecutter.package_name }}.model import predict


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_bad_rows_are_rejected_with_reasons(served, frame, tmp_path, capsys, suffix):
    first, second = bounded(served), required(served)
    if first.name == second.name:
        others = [c for c in served.contract.inputs if c.max_missing == 0 and c is not first]
        second = others[0] if others else pytest.skip("one input only")
    FIRST, SECOND = first.name, second.name
    rows = frame.drop(columns=[served.target]).head(20).astype(object)
    rows.insert(0, "case_id", [f"c{n}" for n in range(len(rows))])
    rows.loc[3, FIRST] = outside(first)
    rows.loc[7, SECOND] = np.nan
    rows.loc[9, FIRST] = "not a number"
    source = tmp_path / f"in{suffix}"
    tables.write(rows, source)
    output = tmp_path / f"out{suffix}"

    assert cli.main(["predict", str(source), str(output)]) == 0
    assert "3 rows rejected" in capsys.readouterr().err
    read = pd.read_parquet if suffix == ".parquet" else pd.read_csv
    predicted, rejected = read(output), read(predict.rejects_path(output))
    assert len(predicted) == 17 and set(predicted["model_version"].astype(str)) == {"1"}
    assert predicted["score"].between(0, 1).all() and set(predicted["decision"]) <= {0, 1}
    assert list(rejected["case_id"]) == ["c3", "c7", "c9"]
    reasons = list(rejected[predict.REASONS])
    assert FIRST in reasons[0] and ("greater" in reasons[0] or "less" in reasons[0])
    assert SECOND in reasons[1] and "not_nullable" in reasons[1]
    assert FIRST in reasons[2] and "coerce" in reasons[2]


def test_an_input_missing_a_feature_is_refused(served, frame, tmp_path, capsys):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.drop(columns=[served.contract.inputs[0].name]).to_csv(source, index=False)
    assert cli.main(["predict", str(source), str(output), "--rejects", "r.csv"]) == 1
    assert "cannot be used at all" in capsys.readouterr().err and not output.exists()


def test_an_input_without_rows_leaves_the_last_output(served, frame, tmp_path, capsys):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)
    assert cli.main(["predict", str(source), str(output)]) == 0
    good = output.read_bytes()
    frame.head(0).to_csv(source, index=False)  # a header, no rows
    assert cli.main(["predict", str(source), str(output)]) == cli.EXIT_FAILED
    assert "has no rows to predict" in capsys.readouterr().err
    assert output.read_bytes() == good and not list(tmp_path.glob(".*partial*"))


def test_predict_needs_a_champion(lifecycle, frame, tmp_path):
    source = tmp_path / "in.csv"
    frame.to_csv(source, index=False)
    assert cli.main(["predict", str(source), str(tmp_path / "out.csv")]) == 1
