"""Settings typos are errors that name the setting meant, never a silent default."""

from __future__ import annotations

import pytest
import tomlkit

from {{ cookiecutter.package_name }} import cli


@pytest.mark.parametrize(
    ("table", "key", "message"),
    [
        (
            "registry",
            "promotion_margn",
            "[tool.phasegate.registry] promotion_margn; did you mean 'promotion_margin'?",
        ),
        ("monitoring", "ks_pvalue", "did you mean 'ks_p_value'?"),
        ("model", "max_iters", "did you mean 'max_iter'?"),
        ("data", "max_null_fraction", "no longer read: each column's max_missing"),
        (None, "phaze", "[tool.phasegate] phaze; did you mean 'phase'?"),
    ],
)
def test_an_unknown_setting_is_a_usage_error(settings, capsys, table, key, message):
    path = settings.root / "pyproject.toml"
    document = tomlkit.parse(path.read_text())
    phasegate = document["tool"]["phasegate"]  # type: ignore[index]
    (phasegate[table] if table else phasegate)[key] = 0.5  # type: ignore[index]
    path.write_text(tomlkit.dumps(document))
    assert cli.main(["gate"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
