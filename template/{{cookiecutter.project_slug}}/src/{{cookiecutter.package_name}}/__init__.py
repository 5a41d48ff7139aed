"""The project's pipeline and model lifecycle (see README.md)."""

import os

# MLflow reports usage to its authors unless told not to; set before any module imports it.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

__version__ = "0.1.0"
