"""The CLI prints input strings as they are: rich markup in them is never interpreted."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from services import cli_feed
from services.feed import Feeding, Rejected

# Strings full of what rich reads as markup: [tags], [/closers], [link=…], escapes.
markupish = st.text(alphabet="[]/\\ab=#@: ", min_size=1, max_size=30)


@given(where=markupish, reason=markupish)
def test_feed_summary_prints_markup_like_input_literally(where, reason):
    """Inputs named `[/x]`, reasons and errors `[bold]` are printed as they are, never a MarkupError."""
    recorder = Console(record=True, width=500, file=open("/dev/null", "w"))  # noqa: SIM115
    saved, cli_feed.console = cli_feed.console, recorder
    try:
        cli_feed.print_feed_summary(Feeding(rejected=[Rejected(where, reason)], stopped_at=where, error=reason))
    finally:
        cli_feed.console = saved
        recorder.file.close()
    text = recorder.export_text()
    assert f"rejected {where}: {reason}" in text and f"({reason})" in text and f"from {where} on" in text
