"""The CLI prints input strings as they are: rich markup in them is never interpreted."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from services import cli
from services.feed import Rejected

# Strings full of what rich reads as markup: [tags], [/closers], [link=…], escapes.
markupish = st.text(alphabet="[]/\\ab=#@: ", min_size=1, max_size=30)


@given(where=markupish, reason=markupish)
def test_feed_summary_prints_markup_like_input_literally(where, reason):
    """A rejected input named `[/x]` with a reason `[bold]` is printed as it is, never a MarkupError."""
    recorder = Console(record=True, width=500, file=open("/dev/null", "w"))  # noqa: SIM115
    saved, cli.console = cli.console, recorder
    try:
        cli._print_feed_summary([], [Rejected(where, reason)])
    finally:
        cli.console = saved
        recorder.file.close()
    assert f"rejected {where}: {reason}" in recorder.export_text()
