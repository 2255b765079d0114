"""The components read their language data from the files their config names (no model)."""

from __future__ import annotations

from pathlib import Path

import spacy
import yaml

import services.extract.components  # noqa: F401  (registers the factories)
from services.extract.data import DATA_DIR, data_file
from tests.unit.extract.handbuilt import VOCAB, Row, parsed


def test_data_file_names_a_file_of_the_data_folder_or_any_path(tmp_path: Path) -> None:
    """'triggers.yaml' is the committed lexicon; an absolute path is taken as it is."""
    assert data_file("triggers.yaml") == DATA_DIR / "triggers.yaml"
    assert data_file(str(tmp_path / "mine.yaml")) == tmp_path / "mine.yaml"


def test_event_component_defaults_to_the_committed_data() -> None:
    """Without a config the events component reads services/extract/data/."""
    nlp = spacy.blank("fr")
    nlp.add_pipe("newsflow_events")
    config = nlp.get_pipe_config("newsflow_events")
    assert {config[k] for k in ("triggers", "function_words", "event_context")} == {
        "triggers.yaml",
        "function_words.yaml",
        "event_context.yaml",
    }
    assert all(data_file(config[k]).is_file() for k in config if k != "factory")


def test_event_component_reads_the_trigger_lexicon_its_config_names(tmp_path: Path) -> None:
    """A lexicon with only 'rencontrer' as a meeting finds that meeting and nothing else."""
    raw = yaml.safe_load((DATA_DIR / "triggers.yaml").read_text(encoding="utf-8"))
    raw["triggers"] = [{"type": "CONSULT", "mode": "meeting", "verbs": ["rencontrer"]}]
    custom = tmp_path / "triggers.yaml"
    custom.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    nlp = spacy.blank("fr", vocab=VOCAB)
    component = nlp.add_pipe("newsflow_events", config={"triggers": str(custom)})
    assert {rule.type for rule in component.finder.lexicon.rules.values()} == {"CONSULT"}
    doc = parsed(
        [
            Row("Goïta", "Goïta", "PROPN", 2, "nsubj", entity="per:assimi-goita"),
            Row("a", "avoir", "AUX", 2, "aux:tense"),
            Row("rencontré", "rencontrer", "VERB", 2, "ROOT", "VerbForm=Part"),
            Row("Tiani", "Tiani", "PROPN", 2, "obj", entity="per:abdourahamane-tiani"),
            Row(".", ".", "PUNCT", 2, "punct"),
        ]
    )
    (event,) = component(doc)._.newsflow_events
    assert (event.type, event.mode, event.trigger) == ("CONSULT", "meeting", "rencontré")


def test_event_component_reads_the_context_words_its_config_names(tmp_path: Path) -> None:
    """'Goïta n'a jamais rencontré Tiani' is a denied meeting; with words where "n'" negates
    nothing, it is not."""
    raw = yaml.safe_load((DATA_DIR / "event_context.yaml").read_text(encoding="utf-8"))
    raw["negation_particles"] = ["non"]
    custom = tmp_path / "event_context.yaml"
    custom.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    rows = [
        Row("Goïta", "Goïta", "PROPN", 4, "nsubj", entity="per:assimi-goita"),
        Row("n'", "ne", "ADV", 4, "advmod", "Polarity=Neg"),
        Row("a", "avoir", "AUX", 4, "aux:tense"),
        Row("jamais", "jamais", "ADV", 4, "advmod"),
        Row("rencontré", "rencontrer", "VERB", 4, "ROOT", "VerbForm=Part"),
        Row("Tiani", "Tiani", "PROPN", 4, "obj", entity="per:abdourahamane-tiani"),
        Row(".", ".", "PUNCT", 4, "punct"),
    ]
    nlp = spacy.blank("fr", vocab=VOCAB)
    committed = nlp.add_pipe("newsflow_events", name="committed")
    custom_words = nlp.add_pipe("newsflow_events", name="custom", config={"event_context": str(custom)})
    assert [e.context.negated for e in committed(parsed(rows))._.newsflow_events] == [True]
    assert [e.context.negated for e in custom_words(parsed(rows))._.newsflow_events] == [False]
