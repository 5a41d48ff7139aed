"""Today's process without ML, as a rule a person could apply by hand."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pandas as pd

from ..config import Settings
from ..data.contract import as_text

# ``[tool.phasegate.baseline] rule`` is a condition over the data's columns, for example
# ``Contract == "Month-to-month" and tenure < 12``, ``risk_score >= 0.7`` (an existing score
# and its threshold) or ``region in ["north", "east"] or not has_contract``. The grammar is
# small and safe: column names (or ``column("a name with spaces")``), numbers, text and
# ``true``/``false``, comparisons (``== != < <= > >=``, ``in``, ``not in`` with a list), and
# ``and``, ``or``, ``not``, parentheses. It is parsed, never executed as code. A comparison
# with a missing value is false.
# What a rule's node evaluates to: a column (a Series), a constant or a list of them. Any,
# because -, <, == and the rest apply to each of these as pandas and Python define them.
Value = Any

COMPARISONS: dict[type[ast.cmpop], Callable[[Value, Value], Value]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
CONSTANTS = {"true": True, "false": False}


class RuleError(ValueError):
    """The baseline rule does not parse or names a column the data does not have."""


def decide(frame: pd.DataFrame, settings: Settings) -> np.ndarray:
    """Where today's rule says to act."""
    return evaluate(settings.baseline_rule, frame).to_numpy()


def describe(settings: Settings) -> str:
    return f"act when {settings.baseline_rule}"


def columns(rule: str) -> set[str]:
    """The column names a rule reads (raises RuleError when it does not parse)."""
    return {node.value for node in ast.walk(_parse(rule)) if isinstance(node, _Name)}


def evaluate(rule: str, frame: pd.DataFrame) -> pd.Series:
    evaluator = _Evaluator(frame, rule)
    return evaluator._bool(evaluator.value(_parse(rule).body))


class _Name(ast.Constant):
    """A column reference, after parsing."""

    value: str


def _parse(rule: str) -> ast.Expression:
    try:
        tree = ast.parse(rule.strip(), mode="eval")
    except SyntaxError as error:
        raise RuleError(f"baseline rule {rule!r} does not parse: {error.msg}") from None
    return cast(ast.Expression, _Columns(rule).visit(tree))  # visit() returns what it was given


class _Columns(ast.NodeTransformer):
    """Names and column("…") calls become column references; anything else is refused."""

    ALLOWED: tuple[type[ast.AST], ...] = (
        ast.Expression,
        ast.BoolOp,
        ast.And,
        ast.Or,
        ast.UnaryOp,
        ast.Not,
        ast.USub,
    )
    ALLOWED += (ast.Compare, ast.In, ast.NotIn, ast.Constant, ast.List, ast.Tuple, ast.Load)
    ALLOWED += tuple(COMPARISONS)

    def __init__(self, rule: str) -> None:
        self.rule = rule

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in CONSTANTS:
            return ast.Constant(CONSTANTS[node.id])
        return _Name(node.id)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        argument = node.args[0] if len(node.args) == 1 and not node.keywords else None
        named = isinstance(node.func, ast.Name) and node.func.id == "column"
        if (
            not named
            or not isinstance(argument, ast.Constant)
            or not isinstance(argument.value, str)
        ):
            raise RuleError(f'baseline rule {self.rule!r}: only column("name") may be called')
        return _Name(argument.value)

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if not isinstance(node, self.ALLOWED):
            what = type(node).__name__
            raise RuleError(f"baseline rule {self.rule!r}: {what} is not part of the grammar")
        return super().generic_visit(node)


class _Evaluator:
    def __init__(self, frame: pd.DataFrame, rule: str) -> None:
        self.frame, self.rule = frame, rule

    def value(self, node: ast.AST) -> Value:
        if isinstance(node, _Name):
            if node.value not in self.frame.columns:
                raise RuleError(
                    f"baseline rule {self.rule!r} reads column {node.value!r}, which the data "
                    "does not have: set [tool.phasegate.baseline] rule in pyproject.toml"
                )
            return self.frame[node.value]
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.List | ast.Tuple):
            return [self.value(element) for element in node.elts]
        if isinstance(node, ast.UnaryOp):
            operand = self.value(node.operand)
            return ~self._bool(operand) if isinstance(node.op, ast.Not) else -operand
        if isinstance(node, ast.BoolOp):
            parts = [self._bool(self.value(v)) for v in node.values]
            combine = operator.and_ if isinstance(node.op, ast.And) else operator.or_
            result = parts[0]
            for part in parts[1:]:
                result = combine(result, part)
            return result
        assert isinstance(node, ast.Compare)  # noqa: S101 - the parser let nothing else through
        left = self.value(node.left)
        compared: pd.Series | None = None
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.value(right_node)
            step = self._bool(self._compare(op, left, right))
            compared = step if compared is None else compared & step
            left = right
        return compared

    def _compare(self, op: ast.cmpop, left: Value, right: Value) -> Value:
        if isinstance(op, ast.In | ast.NotIn):
            if not isinstance(left, pd.Series) or not isinstance(right, list):
                raise RuleError(f"baseline rule {self.rule!r}: use `column in [values]`")
            found = as_text(left).isin([str(v) for v in right]).fillna(False)
            return found if isinstance(op, ast.In) else ~found & left.notna()
        if isinstance(left, pd.Series) and isinstance(right, str):
            left = as_text(left)
        if isinstance(right, pd.Series) and isinstance(left, str):
            right = as_text(right)
        return COMPARISONS[type(op)](left, right)

    def _bool(self, value: Value) -> pd.Series:
        if isinstance(value, pd.Series):
            return value.fillna(False).astype(bool)
        return pd.Series(bool(value), index=self.frame.index)
