"""Operating the champion on evidence: alerts from crossed thresholds (``alerts.py``)."""
