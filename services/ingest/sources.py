"""Outlet names: a source written as a URL or a domain becomes the name readers know (outlets.yaml)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from services.ingest.datafiles import load_data
from services.ingest.text_cleanup import normalize_line

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def outlet_name(source: str) -> str | None:
    """The outlet a source line names: a URL gives its outlet (or its domain); a name stays as written."""
    source = normalize_line(source).strip(" .:;,-–")
    if not source:
        return None
    if _URL.fullmatch(source):
        return outlet_of_url(source)
    return source


def outlet_of_url(url: str) -> str | None:
    """The outlet behind a URL: a known name from outlets.yaml, else the bare domain."""
    domain = domain_of(url)
    if not domain:
        return None
    known = (load_data("outlets") or {}).get("domains", {})
    labels = domain.split(".")
    for start in range(len(labels) - 1):
        name = known.get(".".join(labels[start:]))
        if name:
            return str(name)
    return domain


def domain_of(url: str) -> str | None:
    """The host of a URL in lower case, without "www." (None when there is none)."""
    if "://" not in url:
        url = f"http://{url}"
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")
