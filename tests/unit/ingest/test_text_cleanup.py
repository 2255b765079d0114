"""Text normalization: encoding repair, one typography, paragraphs, idempotence."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from services.ingest.text_cleanup import normalize_line, normalize_text, split_paragraphs


def test_normalize_text_repairs_mojibake() -> None:
    """UTF-8 read as cp1252 ("l'Ã‰tat") is repaired to the real letters."""
    damaged = "Le chef de l’État, le colonel Assimi Goïta, a été reçu à Moscou.".encode().decode("cp1252")
    assert normalize_text(damaged) == "Le chef de l'État, le colonel Assimi Goïta, a été reçu à Moscou."


def test_normalize_text_unifies_apostrophes_and_double_quotes() -> None:
    """Curly apostrophes become ' and curly double quotes become "."""
    assert normalize_text("l’armée d‘abord, les axes “Bamako-Ankara” „ici‟") == (
        'l\'armée d\'abord, les axes "Bamako-Ankara" "ici"'
    )


def test_normalize_text_keeps_guillemets_with_plain_inner_spaces() -> None:
    """French guillemets stay; the non-breaking spaces inside them become plain spaces."""
    assert normalize_text("un soutien «\u00a0indéfectible\u202f» et «fermement»") == (
        "un soutien « indéfectible » et «fermement»"
    )


def test_normalize_text_unifies_dashes() -> None:
    """Em, figure and horizontal-bar dashes become the en dash; non-breaking hyphens a hyphen."""
    assert (
        normalize_text("Bamako — Moscou ‒ Niamey ― Ouaga l\u2011Etat")
        == "Bamako – Moscou – Niamey – Ouaga l-Etat"
    )


def test_normalize_text_turns_special_spaces_into_one_plain_space() -> None:
    """NBSP, narrow NBSP, thin and ideographic spaces become one plain space; runs collapse."""
    assert (
        normalize_text("Mali\u00a0:\u202fla\u2009transition \u3000  prolongée\t!")
        == "Mali : la transition prolongée !"
    )


def test_normalize_text_strips_nul_controls_and_invisible_characters() -> None:
    """Control characters, zero-width spaces and soft hyphens are dropped, not kept."""
    assert normalize_text("Bama\x07ko\u200b est la capi\u00adtale\ufeff.") == "Bamako est la capitale."


def test_normalize_text_makes_a_nul_a_space_between_words():
    """A NUL between words separates them ("Le\\0ministre" is two words), it does not join them."""
    assert normalize_text("Le\x00ministre a parlé.\x00") == "Le ministre a parlé."


def test_normalize_text_decodes_html_entities_but_keeps_bare_ampersands() -> None:
    """&rsquo; and &amp;amp; are decoded (to a fixpoint); "AT&T" stays as written."""
    assert normalize_text("l&rsquo;arm&eacute;e &amp;amp; AT&T") == "l'armée & AT&T"


def test_normalize_text_composes_to_nfc() -> None:
    """Decomposed accents (e + combining acute) come out composed."""
    decomposed = unicodedata.normalize("NFD", "Sécurité à Ségou")
    assert normalize_text(decomposed) == "Sécurité à Ségou"


def test_normalize_text_separates_paragraphs_by_exactly_one_blank_line() -> None:
    """Runs of blank lines become one; blank lines full of spaces count as blank."""
    assert normalize_text("  Premier.  \n\n\n \t \n\nDeuxième.\n\n\n") == "Premier.\n\nDeuxième."


def test_normalize_text_gives_same_text_for_one_or_two_line_breaks() -> None:
    """A source with one line per paragraph and one with blank lines between give the same text."""
    assert normalize_text("Premier paragraphe.\nDeuxième paragraphe.") == normalize_text(
        "Premier paragraphe.\n\nDeuxième paragraphe."
    )


def test_normalize_text_joins_hard_wrapped_lines() -> None:
    """A line cut mid-sentence (no closing punctuation, next starts lower case) is joined back."""
    text = "Le ministre a reçu son homologue\nrusse à Bamako, mardi.\nLa rencontre a duré deux heures."
    assert split_paragraphs(normalize_text(text)) == [
        "Le ministre a reçu son homologue russe à Bamako, mardi.",
        "La rencontre a duré deux heures.",
    ]


def test_normalize_text_handles_crlf_and_unicode_line_separators() -> None:
    """CRLF, CR and U+2028 are line breaks like LF."""
    assert normalize_text("Un.\r\nDeux.\rTrois.\u2028Quatre.") == "Un.\n\nDeux.\n\nTrois.\n\nQuatre."


def test_normalize_line_puts_a_title_on_one_line() -> None:
    """A title with inner line breaks and odd spaces comes out as one clean line."""
    assert normalize_line(" Mali :\u00a0la\n transition ") == "Mali : la transition"


@given(st.text())
def test_normalize_text_is_idempotent_on_any_unicode(text: str) -> None:
    """For any string, normalizing twice gives the same result as once (and never raises)."""
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(st.text(alphabet=st.sampled_from("aé É\n\r\t\u00a0\u2019\u201c&;#x0123amp\x00\u200bÃ©â€™«»—")))
def test_normalize_text_is_idempotent_on_typography_heavy_text(text: str) -> None:
    """Idempotence also holds on strings dense in the characters the normalizer rewrites."""
    once = normalize_text(text)
    assert normalize_text(once) == once
