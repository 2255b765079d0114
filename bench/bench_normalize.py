"""Ingest benchmark: normalize_article throughput on the seeds, as plain text and as HTML pages.

Prints a table and writes bench/results/normalize.json.

    .venv/bin/python -m bench.bench_normalize [--repeat 1000] [--html-repeat 40]

Plain text: the five seeds x `repeat`, as producers send them (no lang, so lingua runs), and
again with the producer's lang (lingua skipped). HTML: each seed's paragraphs wrapped in a
realistic page (menu, cookie banner, share bar, comments, footer, metadata) x `html_repeat`.
One process, one core. Target: >= 1,000 plain-text articles/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import platform
import time
from pathlib import Path

from services.common.contracts import RawArticle
from services.ingest.normalize import normalize_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
RESULTS = Path(__file__).resolve().parent / "results" / "normalize.json"
TARGET_TEXT_RATE = 1_000.0

PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <title>{title} – Le Journal du Sahel</title>
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="Le Journal du Sahel">
  <meta property="article:published_time" content="2024-03-12T10:15:00+00:00">
  <meta name="author" content="Awa Traoré">
</head>
<body>
  <header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li>
  <li><a href="/securite">Sécurité</a></li><li><a href="/economie">Économie</a></li></ul></nav>
  <div class="cookies">Ce site utilise des cookies. <button>Accepter les cookies</button></div></header>
  <main><article>
    <h1>{title}</h1>
    <div class="share"><a href="#">Partager sur Facebook</a> <a href="#">Twitter</a>
      <a href="#">WhatsApp</a></div>
{paragraphs}
  </article>
  <section class="comments"><h3>2 commentaires</h3><p>Merci pour cet article.</p>
  <form><p>Laisser un commentaire</p></form></section></main>
  <footer><p>Inscrivez-vous à notre newsletter</p>
  <p>© 2024 Le Journal du Sahel. Tous droits réservés.</p></footer>
</body>
</html>
"""


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]


def as_page(text: str) -> str:
    """A news page around the seed's paragraphs, titled with its first words."""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    title = " ".join(paragraphs[0].split()[:10])
    body = "\n".join(f"    <p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return PAGE.format(title=html.escape(title), paragraphs=body)


def rate(raws: list[RawArticle], repeat: int) -> dict[str, float]:
    """Articles per second of CPU time (what one process can do, whatever else shares the machine)
    and of wall time, over `repeat` passes after one warm-up pass."""
    for raw in raws:
        normalize_article(raw)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for raw in raws:
            normalize_article(raw)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    count = repeat * len(raws)
    return {"per_s": count / cpu, "us": cpu / count * 1e6, "wall_per_s": count / wall}


def run(report: dict, *, repeat: int = 1_000, html_repeat: int = 40) -> None:
    """Measure and fill `report` with the figures."""
    texts = seed_texts()
    report.update(
        {
            "seeds": len(texts),
            "text_repeat": repeat,
            "html_repeat": html_repeat,
            "python": platform.python_version(),
        }
    )
    report["text"] = rate([RawArticle(text=text) for text in texts], repeat)
    report["text_lang_given"] = rate([RawArticle(text=text, lang="fr") for text in texts], repeat)
    report["html"] = rate([RawArticle(html=as_page(text)) for text in texts], html_repeat)
    report["targets"] = {
        "text_per_s": TARGET_TEXT_RATE,
        "text_meets_rate": report["text"]["per_s"] >= TARGET_TEXT_RATE,
    }


def print_table(report: dict) -> None:
    labels = [
        ("text", "plain text (lang detected)", ">= 1,000/s"),
        ("text_lang_given", "plain text (producer lang)", ""),
        ("html", "HTML page (trafilatura)", ""),
    ]
    rows = [("input", "articles/s (CPU)", "µs/article", "articles/s (wall)", "target")] + [
        (
            label,
            f"{report[key]['per_s']:,.0f}",
            f"{report[key]['us']:,.0f}",
            f"{report[key]['wall_per_s']:,.0f}",
            target,
        )
        for key, label, target in labels
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    seeds, text_repeat, html_repeat = report["seeds"], report["text_repeat"], report["html_repeat"]
    print(f"normalize_article, {seeds} seeds x {text_repeat} (text), x {html_repeat} (html)")
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1_000, help="passes over the seeds as plain text")
    parser.add_argument("--html-repeat", type=int, default=40, help="passes over the seeds as HTML pages")
    args = parser.parse_args()
    report: dict = {}
    run(report, repeat=args.repeat, html_repeat=args.html_repeat)
    report["measured_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    print_table(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
