"""Running an app built by services/bootstrap.py until it is stopped."""

from __future__ import annotations

from services.bootstrap import NewsflowApp


async def serve(app: NewsflowApp) -> int:
    """Run `app` until SIGINT/SIGTERM; the exit status: 1 when it stopped on a fault instead, so a
    supervisor restarts it."""
    await app.run()
    return 1 if app.faults else 0
