"""The model measured on the business metric: ``baseline.py`` (today's rule without ML),
``business.py`` (expected cost per decision), ``train.py``, ``evaluate.py``, ``predict.py``, and
``reports.py`` (the pipeline's JSON and Markdown reports and charts), ``candidates.py`` (the
model families) and ``experiment.py`` (comparing them, simplest first).
"""
