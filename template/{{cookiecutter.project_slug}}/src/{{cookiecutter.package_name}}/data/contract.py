"""The data contract: every column of the data file, its kind and its rules (data/contract.toml).

One file says what the data is; the pandera schema (data/schema.py), the model's preprocessing
(model/train.py), prediction's row checks (model/predict.py), drift per column
(lifecycle/drift.py) and the model card's explanation all derive from it. ``adopt`` writes it
from a profile of a data file; the team reviews and edits it.

Kinds: ``numeric`` (range, share of missing values), ``categorical`` and ``boolean`` (allowed
values; a value not seen in training counts as no category at all), ``identifier`` (kept out of
the model; duplicates are judged on it), ``timestamp`` and ``text`` and ``ignored`` (kept out of
the model, and said so in the validation report). Sensitive attributes, listed in
pyproject.toml, are kept out of the model too and used for per-group metrics.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

KINDS = ("numeric", "categorical", "boolean", "identifier", "timestamp", "text", "ignored")
MODEL_KINDS = ("numeric", "categorical", "boolean")
FINGERPRINT = "# adopt-fingerprint: "  # the body's hash when `adopt` wrote the file


class ContractError(ValueError):
    """The data contract file is missing or unusable."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    min: float | None = None  # numeric
    max: float | None = None  # numeric
    values: tuple[str, ...] = ()  # categorical and boolean; () = an open set
    max_categories: int = 50  # an open categorical set's limit
    max_missing: float = 0.0  # share of missing values a table may have
    note: str = ""  # why it is kept out, or what a person must review

    @property
    def categorical(self) -> bool:
        return self.kind in ("categorical", "boolean")


@dataclass(frozen=True)
class Contract:
    columns: tuple[Column, ...]
    path: Path | None = None
    hidden: tuple[str, ...] = field(default=())  # kept out of the model (sensitive attributes)

    def __getitem__(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def inputs(self) -> list[Column]:
        """The model's input columns, in file order."""
        return [c for c in self.columns if c.kind in MODEL_KINDS and c.name not in self.hidden]

    @property
    def identifiers(self) -> list[str]:
        return [c.name for c in self.columns if c.kind == "identifier"]

    @property
    def kept_out(self) -> list[Column]:
        return [c for c in self.columns if c not in self.inputs]

    def fingerprint(self) -> str:
        """A hash of what the model's inputs must look like: its inputs, their kinds and values."""
        spec = [[c.name, c.kind, list(c.values)] for c in self.inputs]
        return hashlib.sha256(json.dumps(spec).encode()).hexdigest()[:16]


def load(path: Path, hidden: tuple[str, ...] = (), target: str = "") -> Contract:
    if not path.is_file():
        raise ContractError(f"data contract not found: {path} (run `adopt` or restore it)")
    try:
        with path.open("rb") as file:
            table = tomllib.load(file).get("columns", {})
    except tomllib.TOMLDecodeError as error:
        raise ContractError(f"{path} is not valid TOML: {error}") from error
    columns = tuple(_column(name, spec, path) for name, spec in table.items() if name != target)
    if not columns:
        raise ContractError(f"{path} lists no columns under [columns.NAME]")
    return Contract(columns, path, hidden)


def _column(name: str, spec: object, path: Path) -> Column:
    where = f"{path.name} [columns.{name}]"
    if not isinstance(spec, dict):
        raise ContractError(f"{where} must be a table")
    known = set(Column.__dataclass_fields__) - {"name"}
    if unknown := sorted(set(spec) - known):
        raise ContractError(f"{where}: unknown keys {unknown}; known: {sorted(known)}")
    if spec.get("kind") not in KINDS:
        raise ContractError(f"{where}: kind must be one of {', '.join(KINDS)}")
    values = tuple(text_of(v) for v in spec.get("values", []))
    column = Column(name=name, **{**spec, "values": values})
    if not 0 <= column.max_missing <= 1:
        raise ContractError(f"{where}: max_missing must be a share between 0 and 1")
    if column.kind == "boolean" and len(values) != 2:
        raise ContractError(f"{where}: a boolean column lists its two values")
    return column


def dump(contract: Contract) -> str:
    """The contract file's text, with the fingerprint that tells an edited file from ours."""
    body = "".join(_entry(c) for c in contract.columns)
    return f"{FINGERPRINT}{_digest(body)}\n{HEADER}{body}"


def edited(path: Path) -> bool:
    """Whether a person changed the file since `adopt` wrote it (or wrote it by hand)."""
    first, _, rest = path.read_text(encoding="utf-8").partition("\n")
    body = rest.removeprefix(HEADER)
    return not first.startswith(FINGERPRINT) or first.removeprefix(FINGERPRINT) != _digest(body)


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def _entry(column: Column) -> str:
    spec = {k: v for k, v in asdict(column).items() if k != "name"}
    defaults = Column(column.name, column.kind)
    lines = [f"\n[columns.{json.dumps(column.name)}]\n"]
    for key, value in spec.items():
        if key != "kind" and value == getattr(defaults, key):
            continue
        if key == "max_categories" and column.values:
            continue
        shown = json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
        lines.append(f"{key} = {shown}\n")
    return "".join(lines)


HEADER = """\
# The data contract: every column of the data file and what it must satisfy.
# Kinds: numeric (min, max, max_missing), categorical and boolean (values: the allowed ones;
# none listed = an open set of at most max_categories), identifier (not a model input;
# duplicates are judged on it), timestamp, text and ignored (not model inputs).
# The target column is [tool.phasegate.data] target in pyproject.toml; sensitive attributes
# listed there are not model inputs either. Edit freely: `adopt` refuses to overwrite an
# edited file without --force.
"""


def text_of(value: object) -> str:
    """One value as category text: 1.0 → "1", True → "true", " Yes " → "Yes"."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def as_text(series: pd.Series) -> pd.Series:
    """A column as category text (missing values stay missing), the same way everywhere."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(series):
        return series.map({True: "true", False: "false"}).astype("string")
    if pd.api.types.is_float_dtype(series):
        present = series.dropna()
        if (present % 1 == 0).all():
            series = series.astype("Int64")
    return series.astype("string").str.strip()
