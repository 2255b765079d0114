"""The gazetteer data: names, spellings, adjectives and offices of the domain's actors."""

from __future__ import annotations

import datetime as dt

import pytest

from services.common.folding import fold, slug
from services.extract.gazetteer import default_gazetteer, surface_variants


def test_fold_ignores_case_accents_and_apostrophes() -> None:
    """Goïta, GOITA and l’AES fold like Goita and l'AES."""
    assert fold("GOÏTA") == fold("Goita") == "goita"
    assert fold("l’AES") == fold("l'AES")


def test_slug_makes_key_safe_names() -> None:
    """Entity keys are folded and hyphenated."""
    assert slug("Assimi Goïta") == "assimi-goita"
    assert slug("Saint-Pétersbourg") == "saint-petersbourg"


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("Goita", "per:assimi-goita"),
        ("Poutine", "per:vladimir-poutine"),
        ("Vladimir Putin", "per:vladimir-poutine"),
        ("Erdoğan", "per:recep-tayyip-erdogan"),
        ("Tchiani", "per:abdourahamane-tiani"),
        ("Confédération des États de l’Alliance du Sahel", "org:aes"),
        ("AES", "org:aes"),
        ("ECOWAS", "org:cedeao"),
        ("FAMa", "org:fama"),
        ("groupe Wagner", "org:wagner"),
        ("GSIM", "org:jnim"),
        ("Tin Zaouatine", "loc:tinzaouatene"),
        ("Kyiv", "loc:kiev"),
        ("Fédération de Russie", "loc:rus"),
        ("Burkina Faso", "loc:bfa"),
    ],
)
def test_gazetteer_lookup_resolves_spellings(alias: str, key: str) -> None:
    """Every usual spelling of a known actor leads to one key."""
    entry = default_gazetteer().lookup(alias)
    assert entry is not None and entry.key == key


def test_gazetteer_lookup_leaves_common_surnames_alone() -> None:
    """'Diop', 'Traoré' alone name no one in particular: only an article's full name may."""
    assert default_gazetteer().lookup("Diop") is None
    assert default_gazetteer().lookup("Traoré") is None


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("turc", "TUR"),
        ("turque", "TUR"),
        ("maliens", "MLI"),
        ("burkinabè", "BFA"),
        ("nigérienne", "NER"),
        ("russes", "RUS"),
        ("ivoirien", "CIV"),
        ("sénégalais", "SEN"),
        ("américaine", "USA"),
    ],
)
def test_gazetteer_adjectives_map_to_countries(word: str, country: str) -> None:
    """Nationality adjectives in all their forms give the ISO alpha-3 code."""
    assert default_gazetteer().country_of_adjective(word) == country


def test_gazetteer_places_carry_their_country() -> None:
    """Towns of the domain know their country."""
    gazetteer = default_gazetteer()
    assert gazetteer.lookup("Ménaka").country == "MLI"  # type: ignore[union-attr]
    assert gazetteer.lookup("Niamey").country == "NER"  # type: ignore[union-attr]
    assert gazetteer.lookup("Moscou").country == "RUS"  # type: ignore[union-attr]


def test_gazetteer_office_holders_follow_dates() -> None:
    """Niger's head of state was Bazoum before 26 July 2023 and Tiani after."""
    gazetteer = default_gazetteer()
    assert [e.name for e in gazetteer.office_holders("head_of_state", "NER", dt.date(2023, 1, 1))] == [
        "Mohamed Bazoum"
    ]
    assert [e.name for e in gazetteer.office_holders("head_of_state", "NER", dt.date(2024, 1, 1))] == [
        "Abdourahamane Tiani"
    ]


def test_surface_variants_cover_print_spellings() -> None:
    """The ruler matches typographic apostrophes, accentless and upper-case spellings."""
    variants = surface_variants("N'Djamena")
    assert {"N’Djamena", "N'Djamena", "N'DJAMENA"} <= set(variants)


def test_ruler_patterns_skip_ambiguous_country_names() -> None:
    """'Maurice' (a first name) and 'Grenade' (a grenade) are not ruler patterns."""
    patterns = {p["pattern"] for p in default_gazetteer().ruler_patterns()}
    assert "Maurice" not in patterns and "Grenade" not in patterns
    assert "Bamako" in patterns and "Goïta" in patterns


def test_country_of_adjective_reads_more_nationalities() -> None:
    """'le président angolais', 'le Premier ministre haïtien', 'le chef de la diplomatie libanaise'."""
    gazetteer = default_gazetteer()
    assert [gazetteer.country_of_adjective(w) for w in ["angolais", "haïtien", "libanaise", "ougandais"]] == [
        "AGO",
        "HTI",
        "LBN",
        "UGA",
    ]
