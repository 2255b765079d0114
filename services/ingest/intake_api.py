"""HTTP intake served by the ingest process: POST /articles (one article or a list) → 202.

Each article is normalized here once to answer with its article id (and to refuse poison with
a 422 naming the problem), then put on articles.raw like any other producer's article.
The token and the body size are checked before FastAPI reads the body (intake_guard.py).
Whatever the input, the answer is a short JSON error, never a 500: a 422 quotes only an excerpt
of the bad value, and a Redis outage is a 503 with Retry-After.
"""

from __future__ import annotations

import reprlib
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Body, FastAPI, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from redis.exceptions import RedisError

from services.common.contracts import RawArticle
from services.common.delivery import POISON
from services.common.retry import is_transient
from services.common.settings import IngestSettings
from services.ingest.intake_guard import IntakeGuard
from services.ingest.normalize import normalize_article

Enqueue = Callable[[list[RawArticle]], Awaitable[list[str]]]
MAX_ERRORS = 20  # a 422 names at most this many problems
_EXCERPT = reprlib.Repr()  # keyword arguments need Python 3.12
_EXCERPT.maxstring = _EXCERPT.maxother = 80
_EXCERPT.maxlist = _EXCERPT.maxdict = 3
_EXCERPT.maxlevel = 2


class Accepted(BaseModel):
    article_id: str
    trace_id: str
    external_id: str | None = None
    entry_id: str


class AcceptedResponse(BaseModel):
    articles: list[Accepted]


def excerpt(value: Any) -> str:
    """A short, printable, JSON-safe view of a bad input value (repr escapes surrogates; NaN is 'nan')."""
    return _EXCERPT.repr(value)


def _safe(text: str, limit: int = 300) -> str:
    """`text` cut to `limit` characters, with anything UTF-8 cannot carry escaped."""
    return text[:limit].encode("utf-8", "backslashreplace").decode("utf-8")


def _is_union_tag(part: Any) -> bool:
    """pydantic names the member of `RawArticle | list[RawArticle]` it tried: `function-after[...]`."""
    return isinstance(part, str) and "[" in part and part.endswith("]")


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """FastAPI's validation errors as a 422 body: each error's place (field names, list indices),
    message and an excerpt of the input."""
    return [
        {"loc": [_safe(str(part), 80) for part in error.get("loc", ()) if not _is_union_tag(part)],
         "msg": _safe(str(error.get("msg", ""))),
         "type": _safe(str(error.get("type", "")), 80), "input": excerpt(error.get("input"))}
        for error in errors[:MAX_ERRORS]
    ]


def add_intake(api: FastAPI, settings: IngestSettings, enqueue: Enqueue) -> FastAPI:
    """Add POST /articles, its bearer-token check and its body-size limit to `api`."""
    api.add_middleware(
        IntakeGuard, path="/articles", max_bytes=settings.max_body_bytes, timeout_s=settings.body_timeout_s,
        token=settings.api_token,
    )

    @api.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_errors(list(exc.errors()))},
                            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)

    @api.post("/articles", status_code=status.HTTP_202_ACCEPTED, response_model=AcceptedResponse, tags=["intake"])
    async def post_articles(
        articles: Annotated[RawArticle | list[RawArticle], Body(description="one RawArticle or a list")],
    ) -> AcceptedResponse:
        """Accept articles for processing; answers with each article's id."""
        batch = articles if isinstance(articles, list) else [articles]
        if not batch:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "the list of articles is empty")
        ids = []
        for index, raw in enumerate(batch):
            try:
                ids.append(normalize_article(raw, max_bytes=settings.max_text_bytes).article_id)
            except POISON as exc:
                raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                                    [{"loc": ["body", index], "msg": _safe(str(exc)), "type": "poison"}]) from exc
        try:
            entry_ids = await enqueue(batch)
        except Exception as exc:
            if not (isinstance(exc, RedisError) or is_transient(exc)):
                raise
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Redis is unreachable; retry later",
                                headers={"Retry-After": str(settings.retry_after_s)}) from exc
        return AcceptedResponse(articles=[
            Accepted(article_id=i, trace_id=raw.trace_id, external_id=raw.external_id, entry_id=e)
            for i, raw, e in zip(ids, batch, entry_ids, strict=True)
        ])

    return api
