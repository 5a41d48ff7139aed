"""Today's process as a rule: the small grammar of [tool.phasegate.baseline] rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.model.baseline import RuleError, columns, evaluate

ROWS = pd.DataFrame(
    {
        "contract": ["monthly", "yearly", "monthly", None],
        "tenure": [3, 30, 20, np.nan],
        "monthly charges": [80.0, 20.0, 95.5, 50.0],
        "senior": [True, False, False, True],
    }
)


@pytest.mark.parametrize(
    ("rule", "acted"),
    [
        ('contract == "monthly" and tenure < 12', [True, False, False, False]),
        ('contract == "monthly" or senior', [True, False, True, True]),
        ('contract in ["monthly", "weekly"]', [True, False, True, False]),
        ('contract not in ["monthly"]', [False, True, False, False]),
        ('column("monthly charges") >= 80', [True, False, True, False]),
        ("not (tenure > 10)", [True, False, False, True]),
        ("10 <= tenure < 25", [False, False, True, False]),
        ("senior == true", [True, False, False, True]),
        ("false", [False, False, False, False]),
    ],
)
def test_rules_decide_row_by_row(rule, acted):
    assert evaluate(rule, ROWS).tolist() == acted


def test_a_rule_names_its_columns():
    assert columns('contract == "monthly" and column("monthly charges") > 1') == {
        "contract",
        "monthly charges",
    }


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("__import__('os').system('true')", "only column"),
        ("tenure.real > 1", "Attribute is not part of the grammar"),
        ("tenure + 1 > 2", "BinOp is not part of the grammar"),
        ("[x for x in tenure]", "ListComp is not part of the grammar"),
        ("tenure >", "does not parse"),
        ("region == 'north'", "reads column 'region', which the data does not have"),
    ],
)
def test_anything_else_is_refused_with_a_reason(rule, message):
    with pytest.raises(RuleError, match=message):
        evaluate(rule, ROWS)
