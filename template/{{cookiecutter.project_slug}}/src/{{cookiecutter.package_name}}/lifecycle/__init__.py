"""The model lifecycle.

- The registry (MLflow): ``registry_client.py`` (connecting, with bounded calls; aliases and
  tags), ``registry.py`` (registering and loading versions), ``integrity.py`` (the manifest of a
  version's hashes, checked at every load), ``registry_settings.py`` (its settings).
- Moving the champion: ``promotion.py`` (the verbs retrain, promote, roll back),
  ``challenger_checks.py`` (the smoke test and the business-metric margin a model must pass),
  ``champion_moves.py`` (the intent, compare-and-set and audit of a move, and its repair after a
  crash), ``champion_lock.py`` (one move at a time on a machine).
- ``monitor.py`` and ``drift.py`` (monitoring), ``audit.py`` (the audit log of every move of the
  champion, appended with a hash chain), ``audit_verification.py`` (the chain and the registry's
  copies checked), ``tracking.py`` (every training run logged to MLflow tracking).
"""
