"""HTTP intake served by the ingest process: POST /articles (one article or a list) → 202.

Each article is normalized here once to answer with its article id (and to refuse poison with
a 422 naming the problem), then put on articles.raw like any other producer's article.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Body, Depends, FastAPI, Header, HTTPException, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.common.contracts import RawArticle
from services.common.errors import PoisonMessage
from services.common.settings import IngestSettings
from services.ingest.normalize import normalize_article

Enqueue = Callable[[list[RawArticle]], Awaitable[list[str]]]


class Accepted(BaseModel):
    article_id: str
    trace_id: str
    external_id: str | None = None
    entry_id: str


class AcceptedResponse(BaseModel):
    articles: list[Accepted]


def add_intake(api: FastAPI, settings: IngestSettings, enqueue: Enqueue) -> FastAPI:
    """Add POST /articles, its bearer-token check and its body-size limit to `api`."""

    @api.middleware("http")
    async def limit_body_size(request: Request, call_next):  # type: ignore[no-untyped-def]
        if request.method == "POST":
            declared = request.headers.get("content-length")
            size = int(declared) if declared and declared.isdigit() else len(await request.body())
            if size > settings.max_body_bytes:
                return JSONResponse(
                    {"detail": f"body of {size} bytes is over the {settings.max_body_bytes}-byte limit"},
                    status_code=status.HTTP_413_CONTENT_TOO_LARGE,
                )
        return await call_next(request)

    async def require_token(authorization: Annotated[str | None, Header()] = None) -> None:
        if settings.api_token is None:
            return
        expected = f"Bearer {settings.api_token.get_secret_value()}"
        if authorization is None or not secrets.compare_digest(authorization.encode(), expected.encode()):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong bearer token",
                                headers={"WWW-Authenticate": "Bearer"})

    @api.post("/articles", status_code=status.HTTP_202_ACCEPTED, response_model=AcceptedResponse,
              dependencies=[Depends(require_token)], tags=["intake"])
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
            except PoisonMessage as exc:
                raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                                    [{"loc": ["body", index], "msg": str(exc), "type": "poison"}]) from exc
        entry_ids = await enqueue(batch)
        return AcceptedResponse(articles=[
            Accepted(article_id=i, trace_id=raw.trace_id, external_id=raw.external_id, entry_id=e)
            for i, raw, e in zip(ids, batch, entry_ids, strict=True)
        ])

    return api
