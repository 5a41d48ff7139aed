"""The phase gates of gates.toml: ``judge.py`` reads the specification and judges each
criterion, ``evidence.py`` reads the project (documents, settings, reports), ``output.py``
prints the result; the kinds of check are in ``generic_checks.py`` (documents, settings,
report fields), ``specific_checks.py`` (the KPI, data age, sensitive groups, timebox) and
``lifecycle_checks.py`` (registry, monitoring, rollback drill) and ``operate_checks.py``
(figures measured on real outcomes against the phase-1 targets).
"""
