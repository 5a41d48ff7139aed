"""`adopt`: a team's own table becomes the project's data; bad input changes nothing."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from {{ cookiecutter.package_name }} import cli, config
from {{ cookiecutter.package_name }}.data import contract


@pytest.fixture
def table(copied) -> pd.DataFrame:
    """A messy table nobody wrote for this project: text, missing values, a string target."""
    rng = np.random.default_rng(7)
    rows = 1000
    plan = rng.choice(["month-to-month", "one year", "two year"], size=rows)
    tenure = rng.integers(0, 72, size=rows).astype(float)
    paperless = rng.choice(["Yes", "No"], size=rows)
    odds = 2.5 * (plan == "month-to-month") - 0.08 * tenure + 1.5 * (paperless == "Yes") - 0.5
    churn = rng.uniform(size=rows) < 1 / (1 + np.exp(-odds))
    tenure[rng.uniform(size=rows) < 0.03] = np.nan
    return pd.DataFrame(
        {
            "customer_id": [f"C-{n:05d}" for n in range(rows)],
            "plan": plan,
            "tenure": tenure,
            "paperless": paperless,
            "notes": [f"called on day {n} about the invoice and the router" for n in range(rows)],
            "churned": np.where(churn, "Yes", "No"),
        }
    )


def adopt(copied, frame, *args) -> int:
    source = copied / "data" / "own.csv"
    frame.to_csv(source, index=False)
    return cli.main(["adopt", str(source), "--target", "churned", "--positive", "Yes", *args])


def test_adopt_writes_a_contract_the_pipeline_runs_on(copied, table, capsys):
    assert adopt(copied, table) == 0
    out = capsys.readouterr().out
    assert "customer_id: identifier" in out and "notes: free text" in out
    settings = config.load(copied)
    assert settings.data_path == copied / "data/own.csv" and settings.positive == "Yes"
    kinds = {c.name: c.kind for c in settings.contract.columns}
    assert kinds == {
        "customer_id": "identifier",
        "plan": "categorical",
        "tenure": "numeric",
        "paperless": "boolean",
        "notes": "text",
    }
    assert settings.contract["tenure"].max_missing > 0
    assert not contract.edited(settings.contract_path)
    assert cli.main(["pipeline", "--no-track"]) == 0
    evaluation = json.loads((settings.reports_dir / "evaluation.json").read_text())
    assert evaluation["model"]["roc_auc"] > 0.7
    assert evaluation["baseline"]["rule"] == f"act when {settings.baseline_rule}"


def test_an_edited_contract_is_kept_unless_forced(copied, table, capsys):
    assert adopt(copied, table) == 0
    path = config.load(copied).contract_path
    path.write_text(path.read_text().replace('kind = "text"', 'kind = "ignored"'))
    edited = path.read_text()
    assert adopt(copied, table) == cli.EXIT_FAILED
    assert "edited by hand" in capsys.readouterr().err and path.read_text() == edited
    assert adopt(copied, table, "--force") == 0
    assert 'kind = "text"' in path.read_text()


BAD = {
    "three target values": (
        lambda t: t.assign(churned=(["Yes", "No", "Maybe"] * 334)[:1000]),
        "3 values",
    ),
    "an empty column": (lambda t: t.assign(plan=np.nan), "has no values in any row"),
    "thousands of categories": (
        lambda t: t.assign(plan=[f"plan {n}" for n in range(len(t))]),
        "too many for a category",
    ),
    "no target column": (lambda t: t.drop(columns=["churned"]), "not a column of the data"),
    "the positive label never occurs": (lambda t: t.assign(churned="No"), "is not a value of"),
    "no rows": (lambda t: t.head(0), "no rows"),
}


@pytest.mark.parametrize(("breaks", "message"), BAD.values(), ids=BAD.keys())
def test_bad_input_is_refused_and_changes_nothing(copied, table, capsys, breaks, message):
    before = {p: p.read_bytes() for p in (copied / "pyproject.toml", copied / "data/contract.toml")}
    assert adopt(copied, breaks(table)) == cli.EXIT_FAILED
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert {p: p.read_bytes() for p in before} == before


def test_an_empty_file_is_refused(copied, capsys):
    source = copied / "data" / "empty.csv"
    source.write_text("")
    assert cli.main(["adopt", str(source), "--target", "y", "--positive", "1"]) == 1
    assert "is empty" in capsys.readouterr().err


@pytest.mark.integration  # fits every family and shuffles every column: seconds
def test_every_family_is_explained_in_the_adopted_columns(copied, table):
    from {{ cookiecutter.package_name }}.data.tables import held_out
    from {{ cookiecutter.package_name }}.digest import sha256
    from {{ cookiecutter.package_name }}.model import candidates, explain, train

    assert adopt(copied, table) == 0
    settings = config.load(copied)
    split, inputs = held_out(settings), {c.name for c in settings.contract.inputs}
    methods = {}
    for family in candidates.FAMILIES:
        model = candidates.fit(settings, split, sha256(settings.data_path), family.name, {})
        found = explain.explain(model, split.test, settings)
        columns = [d["column"] for d in found["drivers"]]
        assert sorted(columns) == sorted(inputs), family.name  # each source column once
        methods[family.name] = found["method"]
        if found["method"] == "coefficients":  # the strongest one-hot category of the plan
            plan = next(d for d in found["drivers"] if d["column"] == "plan")
            assert plan["category"] in set(table["plan"])
    assert methods[train.FAMILY] == "coefficients"
    assert methods.get("gradient_boosting", "permutation_importance") == "permutation_importance"
