"""Views for analysts, and what each column means.

Revision ID: 0006_analyst_views
Revises: 0005_provenance
Create Date: 2026-12-02

Three views answer what analysts ask in SQL without knowing the store's tables:
- `event_timeline`: one row per event: date, type, who acted (`source_actors`) on whom
  (`target_actors`), place, number of independent articles reporting it;
- `event_articles`: one row per (event, article reporting it): url, outlet, external_id, sentence;
- `entity_events`: one row per (entity, event it is an actor of, role).
On Postgres every view, and the columns of the tables, carry a COMMENT (\\d+ in psql).
"""

from __future__ import annotations

from alembic import op

revision = "0006_analyst_views"
down_revision = "0005_provenance"
branch_labels = None
depends_on = None

COLUMN_COMMENTS = {
    ('articles', 'article_id'): "newsflow's id of the text: the first 16 hex digits of content_sha256",
    ('articles', 'content_sha256'): 'SHA-256 of the normalized text; the idempotency key of an article',
    ('articles', 'url'): 'the URL the article was first delivered with (every delivery: article_deliveries)',
    ('articles', 'external_id'): "the producer's own id at the first delivery (every delivery: article_deliveries)",
    ('articles', 'title'): "the article's title",
    ('articles', 'source_name'): 'the outlet that published it',
    ('articles', 'published_at'): 'publication date or datetime as an ISO string, as precise as known',
    ('articles', 'published_day'): 'publication day, for filters and ordering',
    ('articles', 'published_precision'): 'day, month, year or unknown',
    ('articles', 'duplicate_of'): 'the original article when this one is a near-duplicate (null for an original)',
    ('articles', 'duplicate_reason'): 'why it is a duplicate: the Jaccard or containment measured',
    ('articles', 'ingested_at'): 'when the store wrote the article',
    ('article_deliveries', 'article_id'): 'the stored article the delivered text is',
    ('article_deliveries', 'delivery_key'): 'SHA-256 of (external_id, url, source): one row per distinct delivery',
    ('article_deliveries', 'external_id'): "the producer's id at this delivery",
    ('article_deliveries', 'url'): 'the URL at this delivery',
    ('article_deliveries', 'source'): 'the outlet at this delivery',
    ('article_deliveries', 'first_seen'): 'when this delivery first arrived',
    ('article_versions', 'article_id'): 'an article whose text arrived under an external_id already seen',
    ('article_versions', 'previous_id'): 'the article that external_id named before: the version this one replaces',
    ('article_versions', 'external_id'): "the producer's id both texts arrived under",
    ('entities', 'key'): 'canonical entity key, e.g. per:assimi-goita (label prefix, folded name)',
    ('entities', 'name'): 'canonical name',
    ('entities', 'label'): 'PER, LOC, ORG or MISC',
    ('entities', 'country'): 'ISO 3166 alpha-3 country of the entity',
    ('events', 'event_id'): 'stable event id; ids of events merged into it are in event_aliases',
    ('events', 'type'): 'PLOVER event type (CONSULT, ASSAULT, ...)',
    ('events', 'modality'): 'factual, future, hypothetical or negated',
    ('events', 'mode'): 'how it happened when reported: phone, visit, meeting, ...',
    ('events', 'date'): "the event's date (first day of its month or year when less precise)",
    ('events', 'date_precision'): 'day, month, year or unknown',
    ('events', 'date_start'): 'first day the event may have happened',
    ('events', 'date_end'): 'last day the event may have happened',
    ('events', 'location_name'): 'where it happened',
    ('events', 'location_country'): 'ISO 3166 alpha-3 country of the place',
    ('events', 'places'): 'keys of the places (not countries) its reports name, compared by event identity',
    ('events', 'month_day'): "MM-DD of a day event, or the day and month an undated event's text gives",
    ('events', 'first_seen'): 'when the first report was stored',
    ('events', 'last_seen'): 'when the latest report was stored',
    ('event_actors', 'event_id'): 'the event',
    ('event_actors', 'entity_key'): 'an actor of the event (entities.key)',
    ('event_actors', 'role'): 'source (who acts) or target (on whom)',
    ('event_sources', 'event_id'): 'the event',
    ('event_sources', 'article_id'): 'an article that reports it',
    ('event_sources', 'trigger_start'): "offset of the trigger word in the article's text",
    ('event_sources', 'trigger'): 'the word that signals the event',
    ('event_sources', 'sentence'): 'the sentence that reports it',
    ('event_sources', 'confidence'): 'extraction confidence, 0 to 1',
}

VIEW_COMMENTS = {
    "event_timeline": "One row per event: date, type, who acted on whom, place, number of reporting articles.",
    "event_articles": "One row per event and article reporting it: url, outlet, external_id, the sentence.",
    "entity_events": "One row per entity and event it is an actor of, with its role (source or target).",
}


def _names(role: str, postgres: bool) -> str:
    """The names of an event's actors in `role`, sorted, as one ', '-separated string."""
    names = (
        "SELECT DISTINCT en.name FROM event_actors a JOIN entities en ON en.key = a.entity_key "
        f"WHERE a.event_id = e.event_id AND a.role = '{role}'"
    )
    if postgres:
        return f"(SELECT string_agg(n.name, ', ' ORDER BY n.name) FROM ({names}) AS n)"
    return f"(SELECT group_concat(name, ', ') FROM ({names} ORDER BY en.name))"


def views(postgres: bool) -> dict[str, str]:
    return {
        "event_timeline": f"""
            SELECT e.event_id, e.date, e.date_precision, e.date_start, e.date_end, e.type, e.modality, e.mode,
                   {_names("source", postgres)} AS source_actors,
                   {_names("target", postgres)} AS target_actors,
                   e.location_name AS location, e.location_country,
                   (SELECT count(DISTINCT s.article_id) FROM event_sources s WHERE s.event_id = e.event_id)
                       AS sources
            FROM events e""",
        "event_articles": """
            SELECT s.event_id, e.type, e.date, e.date_precision, s.article_id, a.external_id, a.url,
                   a.title, a.source_name AS outlet, a.published_day, s.sentence, s.trigger, s.confidence
            FROM event_sources s
            JOIN events e ON e.event_id = s.event_id
            JOIN articles a ON a.article_id = s.article_id""",
        "entity_events": """
            SELECT en.key AS entity_key, en.name AS entity_name, en.label, en.country, ea.role,
                   e.event_id, e.type, e.date, e.date_precision, e.date_start, e.date_end, e.location_name AS location
            FROM event_actors ea
            JOIN entities en ON en.key = ea.entity_key
            JOIN events e ON e.event_id = ea.event_id""",
    }


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, query in views(postgres).items():
        op.execute(f"CREATE VIEW {name} AS {query}")
    if postgres:  # SQLite keeps no comments
        for name, comment in VIEW_COMMENTS.items():
            op.execute(f"COMMENT ON VIEW {name} IS {_quote(comment)}")
        for (table, column), comment in COLUMN_COMMENTS.items():
            op.execute(f"COMMENT ON COLUMN {table}.{column} IS {_quote(comment)}")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in reversed(list(views(postgres))):
        op.execute(f"DROP VIEW IF EXISTS {name}")
    if postgres:
        for table, column in COLUMN_COMMENTS:
            op.execute(f"COMMENT ON COLUMN {table}.{column} IS NULL")
