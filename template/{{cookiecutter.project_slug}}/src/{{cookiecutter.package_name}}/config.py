"""Project settings, read from ``[tool.phasegate]`` in pyproject.toml.

pyproject.toml is the one place a team changes the KPI, the costs of being
wrong, the data file and the baseline rule; everything else reads them here.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .config_keys import engine_settings, unknown_settings
from .data.contract import Contract
from .data.contract import load as load_contract
from .lifecycle import registry_settings
from .lifecycle.registry_settings import RegistrySettings
from .operate import Operate
from .thresholds import Threshold, owners, parse

DATA_ENV_VAR = "PHASEGATE_DATA"


class ConfigError(ValueError):
    """pyproject.toml is missing, or a setting is unusable."""


@dataclass(frozen=True)
class Business:
    decision: str
    kpi_name: str
    kpi_unit: str
    kpi_direction: str
    kpi_baseline: float
    kpi_target: float
    currency: str
    cost_false_positive: float
    cost_false_negative: float
    adoption_target: float = 0.5  # share of positive decisions people act on (phase 5 gate)
    roi_target: float = 0.0  # (realized saving - run cost) / run cost over the report's window


@dataclass(frozen=True)
class Monitoring:
    ks_p_value: float  # a feature counts as drifted when the KS test's p-value is below this
    thresholds: tuple[Threshold, ...] = ()


@dataclass(frozen=True)
class Settings:
    root: Path
    phase: int
    business: Business
    data_path: Path
    target: str
    positive: str | int | float | bool  # the target's value that means "act"
    min_rows: int
    seed: int
    validation_fraction: float
    test_fraction: float
    baseline_rule: str  # today's process, in baseline.py's grammar
    max_iter: int
    contract_path: Path = Path("data/contract.toml")
    sensitive_attributes: tuple[str, ...] | None = None  # None: not stated yet
    timestamp_column: str = ""
    registry: RegistrySettings = RegistrySettings("model", 0.01)  # noqa: RUF009 - immutable
    monitoring: Monitoring = Monitoring(0.01)
    other_data: bool = False  # --data or $PHASEGATE_DATA named a file other than the project's
    operate: Operate = Operate()  # noqa: RUF009 - immutable
    # by engine, its own [tool.phasegate.<engine>] settings (read by engines/<engine>_settings.py)
    engines: dict[str, object] = field(default_factory=dict)

    @cached_property
    def contract(self) -> Contract:
        """The data contract; sensitive attributes and the target are never model inputs."""
        return load_contract(self.contract_path, self.sensitive_attributes or (), self.target)

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def data_reports_dir(self) -> Path:
        """Where reports about the data go: beside another data file (OTHER.reports/), so a
        one-off check never overwrites the project's reports that governance is built from."""
        if self.other_data:
            return self.data_path.with_name(f"{self.data_path.stem}.reports")
        return self.reports_dir

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    @property
    def audit_log(self) -> Path:
        return self.root / "governance" / "audit-log.jsonl"


def find_root(start: Path | None = None) -> Path:
    """The nearest folder upwards whose pyproject.toml has ``[tool.phasegate]``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "phasegate" in _read(candidate).get("tool", {}):
            return folder
    raise ConfigError(f"no pyproject.toml with [tool.phasegate] in {here} or above")


def load(root: Path | None = None, data: Path | str | None = None) -> Settings:
    """Settings of the project at ``root``; ``data`` (or $PHASEGATE_DATA) overrides the file."""
    root = root or find_root()
    pyproject = _read(root / "pyproject.toml")
    table = pyproject["tool"]["phasegate"]
    engines = engine_settings()
    if problem := unknown_settings(table, engines):
        raise ConfigError(f"{root / 'pyproject.toml'}: {problem}")
    try:
        data_table, split = table["data"], table["split"]
        baseline, model = table["baseline"], table["model"]
        own = Path(data_table["path"])
        own = own if own.is_absolute() else root / own
        other = data or os.environ.get(DATA_ENV_VAR)
        data_path = Path(other).resolve() if other else own
        contract_path = Path(data_table.get("contract", "data/contract.toml"))
        notify = owners(root)  # who is told of a crossed threshold that names nobody
        return Settings(
            root=root,
            phase=int(table["phase"]),
            business=Business(**table["business"]),
            data_path=data_path,
            target=str(data_table["target"]),
            positive=data_table.get("positive", 1),
            min_rows=int(data_table["min_rows"]),
            contract_path=contract_path if contract_path.is_absolute() else root / contract_path,
            seed=int(split["seed"]),
            validation_fraction=float(split["validation_fraction"]),
            test_fraction=float(split["test_fraction"]),
            baseline_rule=_baseline_rule(baseline),
            max_iter=int(model["max_iter"]),
            sensitive_attributes=_sensitive_attributes(data_table.get("sensitive_attributes", [])),
            timestamp_column=str(data_table.get("timestamp_column", "")),
            registry=registry_settings.from_table(table.get("registry", {}), pyproject),
            monitoring=_monitoring(table.get("monitoring", {}), notify),
            operate=Operate.from_table(table.get("operate", {}), root, notify),
            other_data=data_path.resolve() != own.resolve(),
            engines={name: module.read(table.get(name, {})) for name, module in engines.items()},
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"[tool.phasegate] in {root / 'pyproject.toml'}: {error}") from error


def _sensitive_attributes(value: object) -> tuple[str, ...] | None:
    """Column names; () when "none" is stated; None while the list is still empty."""
    if isinstance(value, str) and value.strip().lower() == "none":
        return ()
    if not isinstance(value, list) or not all(isinstance(name, str) and name for name in value):
        raise ValueError('sensitive_attributes must be a list of column names, or "none"')
    return tuple(value) or None


def _baseline_rule(table: dict) -> str:
    """The rule; a project from before rules has ``feature`` and ``threshold`` instead."""
    if "rule" in table:
        return str(table["rule"])
    return f"{table['feature']} > {float(table['threshold'])!r}"


def _monitoring(table: dict, notify: tuple[str, ...]) -> Monitoring:
    thresholds = parse(table.get("thresholds", []), notify, where="monitoring")
    return Monitoring(float(table.get("ks_p_value", 0.01)), thresholds)


def _read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))
