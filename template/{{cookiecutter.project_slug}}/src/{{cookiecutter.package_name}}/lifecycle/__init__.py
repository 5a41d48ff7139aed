"""The model lifecycle: ``registry.py`` (MLflow's model registry; its settings in
``registry_settings.py``), ``promotion.py`` (retrain, promote, roll back, smoke-test),
``monitor.py`` and ``drift.py`` (monitoring), ``audit.py`` (the audit log of every move of the
champion), ``tracking.py`` (every training run logged to MLflow tracking).
"""
