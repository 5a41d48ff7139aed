"""The settings [tool.phasegate] may hold: a key not listed here is a typo until proven
otherwise, and a typo must not silently leave a default in force."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from pathlib import Path
from typing import Protocol, cast

# Every setting, by table ("" is the top).
KNOWN = {
    "": {"phase", "business", "data", "split", "baseline", "model", "registry", "monitoring"},
    "business": {"decision", "kpi_name", "kpi_unit", "kpi_direction", "kpi_baseline"},
    "data": {"path", "contract", "target", "positive", "min_rows", "sensitive_attributes"},
    "split": {"seed", "validation_fraction", "test_fraction"},
    "baseline": {"rule", "feature", "threshold"},  # feature > threshold: before rules existed
    "model": {"max_iter"},
    "registry": {
        "model_name",
        "promotion_margin",
        "http_timeout",
        "http_retries",
        "http_backoff_factor",
        "http_backoff_jitter",
    },
    "monitoring": {"ks_p_value", "thresholds"},
    "operate": {"prediction_log", "outcomes_store", "late_after_days", "thresholds"},
    "platform": {"min_template_version"},  # read by tools/template_check.py
}
KNOWN[""] |= set(KNOWN) - {""}
KNOWN["business"] |= {"kpi_target", "currency", "cost_false_positive", "cost_false_negative"}
KNOWN["business"] |= {"adoption_target", "roi_target"}
KNOWN["data"] |= {"timestamp_column"}
KNOWN["operate"] |= {"run_cost_per_month", "window_days", "min_group_rows"}  # performance
RETIRED = {"max_null_fraction": "each column's max_missing in data/contract.toml replaced it"}
ENGINE_SETTINGS = "_settings"  # engines/<engine>_settings.py reads [tool.phasegate.<engine>]


class EngineSettings(Protocol):
    """What an engine's settings module offers (engines/<engine>_settings.py)."""

    KEYS: frozenset[str]  # the keys its table may hold

    def read(self, table: dict, /) -> object: ...  # the table's settings; ValueError: unusable


def engine_settings() -> dict[str, EngineSettings]:
    """The settings module of each engine that has its own table, by the table's name. Found
    at run time: a project has only the engines it was made with."""
    folder = str(Path(__file__).parent / "engines")
    names = [m.name for m in pkgutil.iter_modules([folder]) if m.name.endswith(ENGINE_SETTINGS)]
    return {
        name.removesuffix(ENGINE_SETTINGS): cast(
            "EngineSettings", importlib.import_module(f"{__package__}.engines.{name}")
        )
        for name in sorted(names)
    }


def unknown_settings(table: dict, engines: dict[str, EngineSettings] | None = None) -> str | None:
    """The first key of [tool.phasegate] that no code reads, with the closest known one;
    ``engines`` (engine_settings()) adds each engine's own table."""
    tables = {name: set(module.KEYS) for name, module in (engines or {}).items()}
    for section, known in {**KNOWN, "": KNOWN[""] | set(tables), **tables}.items():
        found = table.get(section, {}) if section else table
        for key in found if isinstance(found, dict) else ():
            if key in known:
                continue
            where = f"[tool.phasegate{'.' + section if section else ''}] {key}"
            if key in RETIRED:
                return f"{where} is no longer read: {RETIRED[key]}"
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known))}"
            return f"unknown setting {where}; {hint}"
    return None
