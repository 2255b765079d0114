"""Boilerplate rules on French lines modelled on real outlets, and what bylines and sources say."""

from __future__ import annotations

import pytest

from services.ingest.boilerplate import classify, remove_boilerplate, rules_for
from services.ingest.text_cleanup import normalize_line

# (line as an outlet prints it, kind it must be removed as)
BOILERPLATE_LINES = [
    ("Partager sur Facebook", "share"),
    ("Partager cet article", "share"),
    ("Twitter WhatsApp Email", "share"),
    ("Facebook · Twitter · LinkedIn · Copier le lien", "share"),
    ("PARTAGEZ!", "share"),
    ("Suivez-nous sur Facebook et Twitter", "share"),
    ("Cliquez pour partager sur WhatsApp(ouvre dans une nouvelle fenêtre)", "share"),
    ("3 commentaires", "comment"),
    ("Commentaires (12)", "comment"),
    ("Laisser un commentaire", "comment"),
    ("Les commentaires sont fermés.", "comment"),
    ("Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *", "comment"),
    ("Lire la suite", "crosslink"),
    ("Lire la suite »", "crosslink"),
    ("Voir aussi", "crosslink"),
    ("À lire aussi : Mali : la transition prolongée de cinq ans", "crosslink"),
    ("Lire aussi | Au Sahel, les juntes militaires resserrent leurs liens avec Moscou", "crosslink"),
    ("Sur le même sujet", "crosslink"),
    ("A (re) lire : Burkina : le capitaine Traoré reçoit une délégation russe", "crosslink"),
    ("Ce site utilise des cookies pour améliorer votre expérience de navigation.", "cookie"),
    ("Accepter les cookies", "cookie"),
    ("Tout accepter", "cookie"),
    ("Inscrivez-vous à notre newsletter", "newsletter"),
    ("Recevez gratuitement la newsletter Afrique de RFI", "newsletter"),
    ("Abonnez-vous", "subscribe"),
    ("Il vous reste 78% de cet article à lire. La suite est réservée aux abonnés.", "subscribe"),
    ("Déjà abonné ? Connectez-vous", "subscribe"),
    ("Tous droits réservés", "copyright"),
    ("© 2024 Jeune Afrique. Tous droits réservés.", "copyright"),
    ("Copyright © 2023 maliweb.net", "copyright"),
    ("Publié le 12/03/2024 à 10h15", "published_line"),
    ("Publié le 12 mars 2024 à 10h15 Mis à jour le 13 mars 2024 à 08h02", "published_line"),
    ("Mis à jour le 5 janvier 2024", "published_line"),
    ("Par Jean Dupont", "byline"),
    ("Par notre correspondant à Bamako", "byline"),
    ("Par Aminata Sanogo, envoyée spéciale à Mopti", "byline"),
    ("Mohamed Camara / Malikonews.com", "byline"),
    ("(AFP)", "source"),
    ("Avec AFP", "source"),
    ("Source : APS", "source"),
    ("Crédit photo : Studio Tamani", "credit"),
    ("© AFP", "credit"),
    ("Le président de la transition, Assimi Goïta, lors d'une cérémonie à Koulouba. © AFP", "caption"),
    ("Photo : des soldats des FAMa à Kidal en novembre 2023", "caption"),
    ("Des casques bleus de la Minusma à Gao, en 2022 via Wikicommons", "caption"),
    ("Article : Lutte contre le terrorisme : Maliens et Russes à pied d'œuvre", "repeated_title"),
    ("Afrique Politique", "section"),
    ("Accueil > Afrique > Mali", "navigation"),
    ("Mots-clés : Mali, Russie, Wagner", "tags"),
    ("Étiquettes", "tags"),
]

# Body lines that mention the words the rules look for, and must stay.
BODY_LINES = [
    (
        "Les deux pays ont décidé de partager leurs renseignements sur les groupes armés qui opèrent dans "
        "la région."
    ),
    (
        "Partager le pouvoir avec les civils n'est pas à l'ordre du jour, a déclaré le porte-parole du "
        "gouvernement."
    ),
    (
        "Il faut lire entre les lignes du communiqué publié mardi par la présidence pour comprendre ce "
        "revirement."
    ),
    "Lire aussi entre les lignes les intentions de Moscou reste un exercice périlleux pour les diplomates.",
    "Les habitants ont commencé à commenter la décision sur les réseaux sociaux, comme Facebook et WhatsApp.",
    (
        "Publié le mois dernier, le rapport de l'ONU fait état de plusieurs centaines de morts dans la "
        "région de Mopti."
    ),
    "Par ailleurs, le ministre des Affaires étrangères, Abdoulaye Diop, a reçu son homologue russe à Bamako.",
    "Avec la Russie, le Mali a signé plusieurs accords de coopération militaire depuis 2021.",
    "Source de tensions, la présence de Wagner inquiète les partenaires occidentaux du Mali depuis deux ans.",
    (
        "Il a obtenu un crédit de 2 milliards de francs CFA auprès de la banque régionale pour financer le "
        "projet."
    ),
    "La photo, prise à Kidal, montre des soldats maliens devant le camp de la Minusma.",
    "Montée en puissance des FAMa",
    "« Soutiens mutuels »",
    "Nouvel entretien entre Vladimir Poutine et Assimi Goïta",
    "Lutte contre le terrorisme : Maliens et Russes à pied d'œuvre",
    "29 février 2024",
]


def french_rules():
    rules = rules_for("fr")
    assert rules is not None
    return rules


@pytest.mark.parametrize(("line", "kind"), BOILERPLATE_LINES)
def test_classify_removes_french_boilerplate_line(line: str, kind: str) -> None:
    """Each boilerplate line of a real outlet is recognised, as the right kind."""
    found = classify(normalize_line(line), french_rules())
    assert found is not None, line
    assert found[0] == kind


@pytest.mark.parametrize("line", BODY_LINES)
def test_classify_keeps_body_line_mentioning_rule_words(line: str) -> None:
    """A body sentence that merely contains "lire", "partager", "publié"... is never removed."""
    assert classify(normalize_line(line), french_rules()) is None


def test_classify_ignores_long_line_even_with_boilerplate_start() -> None:
    """The length cap keeps a long paragraph that starts like a crosslink."""
    line = "Lire aussi : " + "le gouvernement a annoncé de nouvelles mesures pour la région, " * 5
    assert classify(line.strip(), french_rules()) is None


def test_remove_boilerplate_reports_lines_with_kinds_in_order() -> None:
    """Removed lines come back as RemovedLine(text, kind) in reading order; the body stays in order."""
    paragraphs = [
        "Le Mali et la Russie renforcent leur coopération militaire.",
        "Partager sur Facebook",
        "Les deux pays ont signé un accord mardi.",
        "Lire aussi : Niger : la junte reçoit Moscou",
    ]
    cleaned = remove_boilerplate(paragraphs, "fr")
    assert cleaned.paragraphs == [paragraphs[0], paragraphs[2]]
    assert [(line.text, line.kind) for line in cleaned.removed] == [
        ("Partager sur Facebook", "share"),
        ("Lire aussi : Niger : la junte reçoit Moscou", "crosslink"),
    ]


@pytest.mark.parametrize(
    ("line", "author", "source"),
    [
        ("Mohamed Camara / Malikonews.com", "Mohamed Camara", "Malikonews.com"),
        ("Par Jean Dupont", "Jean Dupont", None),
        ("Par Aminata Sanogo, envoyée spéciale à Mopti", "Aminata Sanogo", None),
        ("Par Jean Dupont – Publié le 12/03/2024 à 10h15", "Jean Dupont", None),
        ("Par notre correspondant à Bamako", None, None),
        ("Avec Apanews", None, "Apanews"),
        ("Source: https://www.aa.com.tr/fr/", None, "https://www.aa.com.tr/fr/"),
    ],
)
def test_remove_boilerplate_keeps_what_bylines_and_sources_say(
    line: str, author: str | None, source: str | None
):
    """A byline gives the author (and outlet); a source line gives the source; neither stays in the text."""
    cleaned = remove_boilerplate(["Le ministre a reçu son homologue à Bamako.", line], "fr")
    assert cleaned.paragraphs == ["Le ministre a reçu son homologue à Bamako."]
    assert cleaned.authors == ([author] if author else [])
    assert cleaned.sources == ([source] if source else [])


@pytest.mark.parametrize(
    ("paragraph", "prefix", "rest", "source"),
    [
        (
            "Bamako (AFP) – Le président de la transition a reçu mardi l'ambassadeur de Russie.",
            "Bamako (AFP) –",
            "Le président de la transition a reçu mardi l'ambassadeur de Russie.",
            "AFP",
        ),
        (
            "Bamako, le 12 mars 2024 (AFP) - Le gouvernement malien a annoncé la dissolution des partis.",
            "Bamako, le 12 mars 2024 (AFP) -",
            "Le gouvernement malien a annoncé la dissolution des partis.",
            "AFP",
        ),
        (
            "(Reuters) – Les autorités nigériennes ont suspendu la diffusion de RFI.",
            "(Reuters) –",
            "Les autorités nigériennes ont suspendu la diffusion de RFI.",
            "Reuters",
        ),
        (
            (
                "Niamey, le 3 janvier 2024 – Le général Tiani a reçu une délégation russe au palais "
                "présidentiel."
            ),
            "Niamey, le 3 janvier 2024 –",
            "Le général Tiani a reçu une délégation russe au palais présidentiel.",
            None,
        ),
    ],
)
def test_remove_boilerplate_cuts_dateline_but_keeps_its_sentence(paragraph, prefix, rest, source):
    """A dateline prefix is cut and reported; the sentence after it on the same line stays."""
    cleaned = remove_boilerplate(
        [normalize_line(paragraph), "Deuxième paragraphe du texte de la dépêche."], "fr"
    )
    assert cleaned.paragraphs[0] == rest
    assert ("dateline", normalize_line(prefix)) in [(line.kind, line.text) for line in cleaned.removed]
    assert cleaned.sources == ([source] if source else [])


def test_remove_boilerplate_leaves_agency_in_body_sentence() -> None:
    """An agency named inside a sentence (not a dateline at its start) is left alone."""
    paragraph = "Selon l'AFP (AFP), le convoi a été attaqué près de Tessalit lundi soir."
    cleaned = remove_boilerplate(["Premier paragraphe.", "Deuxième.", "Troisième.", paragraph], "fr")
    assert cleaned.paragraphs[-1] == paragraph
    assert cleaned.removed == []


def test_remove_boilerplate_applies_no_french_rule_to_other_languages() -> None:
    """A language without a rules file passes through unchanged, even lines French rules would remove."""
    paragraphs = ["Lire aussi : this would be a French crosslink", "Share on Facebook", "Partager"]
    for lang in ("en", "ar", None):
        cleaned = remove_boilerplate(paragraphs, lang)
        assert cleaned.paragraphs == paragraphs
        assert cleaned.removed == []
