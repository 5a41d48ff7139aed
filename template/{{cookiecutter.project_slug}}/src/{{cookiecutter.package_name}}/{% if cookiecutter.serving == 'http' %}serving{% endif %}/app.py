"""HTTP predictions with the champion: ``POST /predict`` and ``GET /health``.

``nox -s serve`` runs it with uvicorn on 127.0.0.1:8000. The champion is loaded once at start,
after its hash and types were checked; every response names its version (in the body and the
``X-Model-Version`` header). Restart the service after a promotion or a rollback.
"""

from __future__ import annotations

import pandas as pd
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from .. import __version__, config
from ..data.tables import DataError
from ..lifecycle.registry import CHAMPION, connect, load
from ..model import predict


class Rows(BaseModel):
    """Rows to score: each an object of feature name → value (other keys are ignored)."""

    rows: list[dict[str, object]]


def create_app(settings: config.Settings | None = None) -> FastAPI:
    settings = settings or config.load()
    champion = load(connect(settings), CHAMPION)
    version = champion.number
    app = FastAPI(title=settings.registry.model_name, version=__version__)

    @app.middleware("http")
    async def model_version_header(request: Request, call_next):
        response = await call_next(request)
        response.headers["X-Model-Version"] = version
        return response

    @app.exception_handler(DataError)
    async def unusable_input(request: Request, error: DataError) -> JSONResponse:
        return JSONResponse({"detail": str(error), "model_version": version}, status_code=422)

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok", "model": settings.registry.model_name, "model_version": version}

    @app.post("/predict")
    def predict_rows(body: Rows) -> dict:
        result = predict.predict(champion, pd.DataFrame(body.rows), settings.contract)
        scored = result.predictions
        return {
            "model_version": version,
            "predictions": [
                {"row": int(row), "score": float(score), "decision": int(decision)}
                for row, score, decision in zip(
                    scored.index, scored["score"], scored["decision"], strict=True
                )
            ],
            "rejected": [
                {"row": int(row), "reasons": reasons}
                for row, reasons in result.rejects[predict.REASONS].items()
            ],
        }

    return app
