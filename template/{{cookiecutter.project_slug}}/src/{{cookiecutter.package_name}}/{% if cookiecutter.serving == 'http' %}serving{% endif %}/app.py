"""HTTP predictions with the champion: ``POST /predict`` and ``GET /health``.

``nox -s serve`` runs it with uvicorn on 127.0.0.1:8000 for local development. The champion is
loaded once at start, after its hash and types were checked; every response names its version
(the ``X-Model-Version`` header, and the body). Restart the service after a promotion or a
rollback.

How it is exposed comes from the environment (``Options.from_env``):

- ``PHASEGATE_API_TOKEN``: ``/predict`` needs ``Authorization: Bearer <token>``. Without a token
  the service starts only for local development, ``PHASEGATE_API_LOCAL=1`` (``nox -s serve``
  sets it when it binds 127.0.0.1), and then answers connections made to a loopback address only.
- ``PHASEGATE_API_DOCS=1``: serve ``/docs``, ``/redoc`` and ``/openapi.json`` (off by default).
- ``PHASEGATE_API_MAX_BODY_BYTES``: the largest request body (default 1 MiB); larger is a 413.

Requests are checked strictly before any scoring: every model input present, a number for a
numeric input (not ``"17.99"``, not ``true``, finite), text, a whole number or a boolean for a
category (matched as text, as the data contract does); a refusal is a 422 naming the field,
its value shortened. Rows that pass but break the contract's rules (ranges, categories, missing
values) come back as rejected with their reasons, the others scored.
"""

import asyncio
import gc
import ipaddress
import os
import reprlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import pandas as pd
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from .. import __version__, config
from ..data.contract import Column, text_of
from ..data.tables import DataError
from ..lifecycle.registry import CHAMPION, connect, load
from ..model import predict
from ..model.train import check_contract

TOKEN_ENV, LOCAL_ENV, DOCS_ENV = "PHASEGATE_API_TOKEN", "PHASEGATE_API_LOCAL", "PHASEGATE_API_DOCS"
MAX_BODY_ENV = "PHASEGATE_API_MAX_BODY_BYTES"
MAX_ROWS = 1000  # rows in one request
MAX_TEXT = 200  # characters of one categorical value
MAX_BATCH_ROWS = 5000  # rows scored together from the requests waiting
BATCH_WAIT = 0.006  # seconds the first request of a batch waits for others (measured best)
SHOWN_ERRORS = 10  # validation errors listed in one 422

_shortened = reprlib.Repr()
_shortened.maxstring = _shortened.maxlong = _shortened.maxother = 40


def short(value: object) -> str:
    """A value as text for a message, never longer than about 40 characters."""
    return _shortened.repr(value)


@dataclass(frozen=True)
class Options:
    """How the service is exposed (the module's docstring explains each)."""

    token: str = ""
    local: bool = False
    docs: bool = False
    max_body_bytes: int = 1_048_576

    @classmethod
    def from_env(cls) -> "Options":
        limit = os.environ.get(MAX_BODY_ENV, "").strip() or str(cls.max_body_bytes)
        if not limit.isdigit():
            raise SystemExit(f"{MAX_BODY_ENV} must be a number of bytes, not {short(limit)}")
        return cls(
            token=os.environ.get(TOKEN_ENV, ""),
            local=os.environ.get(LOCAL_ENV, "") == "1",
            docs=os.environ.get(DOCS_ENV, "") == "1",
            max_body_bytes=int(limit),
        )


Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Category = Annotated[
    Annotated[str, Field(strict=True, max_length=MAX_TEXT)]
    | Annotated[int, Field(strict=True, ge=-(2**53), le=2**53)]
    | Annotated[bool, Field(strict=True)]
    | Number,
    AfterValidator(text_of),  # as category text, the same way the data contract does
]


def request_model(inputs: list[Column]) -> type[BaseModel]:
    """The body of ``/predict``, from the data contract: a list of rows, each every model input
    (``null`` for a missing value); other keys are ignored."""
    fields: dict[str, Any] = {
        c.name: (Number | None if c.kind == "numeric" else Category | None, ...) for c in inputs
    }
    row = create_model("Row", __config__=ConfigDict(extra="ignore"), **fields)
    rows = Annotated[list[row], Field(min_length=1, max_length=MAX_ROWS)]  # type: ignore[valid-type]
    return create_model("Rows", rows=(rows, ...))


class Batcher:
    """Scores the rows of every request waiting as one table, in a worker thread: the rules and
    the model run once per batch rather than per request, and the event loop (``/health``)
    stays free while they do."""

    def __init__(self, score: Callable[[list[list[dict]]], list]) -> None:
        self.score = score
        self.waiting: list[tuple[list[dict], asyncio.Future]] = []
        self.draining: asyncio.Task | None = None

    async def __call__(self, rows: list[dict]) -> dict:
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((rows, future))
        if self.draining is None:
            self.draining = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            await asyncio.sleep(BATCH_WAIT)  # so that requests arriving together are scored so
            while self.waiting:
                taken, size = 0, 0
                while taken < len(self.waiting) and (not taken or size < MAX_BATCH_ROWS):
                    size += len(self.waiting[taken][0])
                    taken += 1
                batch, self.waiting = self.waiting[:taken], self.waiting[taken:]
                try:
                    answers = await asyncio.to_thread(self.score, [rows for rows, _ in batch])
                except Exception as error:  # a bug: every request of the batch fails with it
                    answers = [error] * len(batch)
                for (_, future), answer in zip(batch, answers, strict=True):
                    if future.done():  # the client went away
                        continue
                    if isinstance(answer, Exception):
                        future.set_exception(answer)
                    else:
                        future.set_result(answer)
        finally:
            self.draining = None


def create_app(settings: config.Settings | None = None, options: Options | None = None) -> FastAPI:
    options = options or Options.from_env()
    if not (options.token or options.local):
        raise SystemExit(
            f"refusing to start without {TOKEN_ENV}: set it (clients send it as a bearer token), "
            f"or {LOCAL_ENV}=1 for local development on 127.0.0.1"
        )
    try:
        settings = settings or config.load()
        champion = load(connect(settings), CHAMPION)
        contract = settings.contract
        check_contract(champion.model, contract, f"the champion (version {champion.number})")
    except (ValueError, OSError) as error:  # the command line's errors, reported the same way
        raise SystemExit(f"cannot serve: {error}") from None
    version = champion.number
    names = [c.name for c in contract.inputs]
    Rows = request_model(contract.inputs)

    def score(requests: list[list[dict]]) -> list[dict | Exception]:
        """One answer per request (or its DataError): one table, one check, one model call."""
        starts = np.cumsum([0] + [len(rows) for rows in requests])
        table = pd.DataFrame([row for rows in requests for row in rows], columns=names)
        try:
            result = predict.decide(champion.model, version, table, contract)
        except DataError as error:
            if len(requests) == 1:
                return [error]
            return [score([rows])[0] for rows in requests]  # so that only its own request fails
        answers = [{"model_version": version, "predictions": [], "rejected": []} for _ in requests]
        scored = result.predictions
        columns = scored.index, scored["score"], scored["decision"]
        for index, value, decision in zip(*columns, strict=True):
            which = int(starts.searchsorted(index, side="right")) - 1
            answer = {"row": int(index - starts[which]), "score": value, "decision": int(decision)}
            answers[which]["predictions"].append(answer)
        for index, reasons in result.rejects[predict.REASONS].items():
            which = int(starts.searchsorted(index, side="right")) - 1
            answer = {"row": int(index - starts[which]), "reasons": short_reasons(reasons)}
            answers[which]["rejected"].append(answer)
        return answers

    batcher = Batcher(score)
    bearer = HTTPBearer(auto_error=False)

    def authorised(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> None:
        if options.token:
            given = credentials.credentials.encode() if credentials else b""
            if not secrets.compare_digest(given, options.token.encode()):
                raise HTTPException(
                    401, "a valid bearer token is required", {"WWW-Authenticate": "Bearer"}
                )
        elif not loopback(request.scope.get("server")):
            raise HTTPException(403, f"without {TOKEN_ENV} only 127.0.0.1 is answered")

    shown = {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}
    app = FastAPI(
        title=settings.registry.model_name,
        version=__version__,
        max_body_size=options.max_body_bytes,
        **(shown if options.docs else dict.fromkeys(shown)),
    )

    app.add_middleware(VersionHeader, version=version)
    gc.freeze()  # what start-up loaded stays: garbage collections no longer scan it (p99)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"loc": e["loc"], "msg": e["msg"], "type": e["type"], "input": short(e.get("input"))}
            for e in error.errors()[:SHOWN_ERRORS]
        ]
        more = max(0, len(error.errors()) - SHOWN_ERRORS)
        body = {"detail": problems, "more_errors": more, "model_version": version}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(DataError)
    async def unusable_input(request: Request, error: DataError) -> JSONResponse:
        body = {"detail": short_reasons(str(error)), "model_version": version}
        return JSONResponse(body, status_code=422)

    health = {"status": "ok", "model": settings.registry.model_name, "model_version": version}

    @app.get("/health")
    async def get_health() -> dict:
        return health

    @app.post("/predict", dependencies=[Depends(authorised)])
    async def predict_rows(body: Rows) -> JSONResponse:  # type: ignore[valid-type]
        return JSONResponse(await batcher([row.model_dump() for row in body.rows]))

    return app


class VersionHeader:
    """``X-Model-Version`` on every response (plain ASGI: no task or copy per request)."""

    def __init__(self, app: Any, version: str) -> None:
        self.app, self.header = app, (b"x-model-version", version.encode())

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        async def send_with_version(message: dict) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), self.header]
            await send(message)

        await self.app(scope, receive, send_with_version if scope["type"] == "http" else send)


def short_reasons(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def loopback(server: tuple[str, int] | None) -> bool:
    """Whether the connection was made to a loopback address (127.0.0.1, ::1)."""
    try:
        return server is not None and ipaddress.ip_address(server[0]).is_loopback
    except ValueError:
        return False
