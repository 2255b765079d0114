"""Data the database refuses is a permanent fault (parked at once), never retried as if transient."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DBAPIError

from services.common.retry import is_permanent, is_transient
from tests.integration.store.seed_articles import article

pytestmark = pytest.mark.integration


async def test_repository_nul_in_text_is_refused_for_good_or_stored(store, repository):
    """A NUL in the text: Postgres refuses it with SQLSTATE class 22, seen as permanent; SQLite keeps it."""
    nul = article("nul", "Le\x00ministre malien a reçu son homologue à Bamako.", entities=[], events=[])
    if store.backend == "sqlite":
        assert (await repository.store(nul)).status == "stored"
        return
    with pytest.raises(DBAPIError) as info:
        await repository.store(nul)
    assert is_permanent(info.value) and not is_transient(info.value)
    ok = article("ok", "Le ministre malien a reçu son homologue à Bamako mardi.", entities=[], events=[])
    assert (await repository.store(ok)).status == "stored"  # the next transaction is unaffected
