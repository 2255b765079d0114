"""Events from short French news items in the styles of several outlets (real model).

Each case names the event that must come out: type, mode, date, actors (canonical names, at
least these), place and context flags. The texts are written for these tests, modelled on how
RFI, Le Monde Afrique, Jeune Afrique, Studio Tamani, AFP, APS, Xinhua and Anadolu report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from services.common.contracts import Event
from services.common.folding import fold
from tests.unit.extract.conftest import extract_one

pytestmark = pytest.mark.model

D = dt.date


@dataclass
class Case:
    id: str
    text: str
    published: dt.date | None
    type: str
    mode: str | None = None
    date: dt.date | None = None
    actors: list[str] = field(default_factory=list)
    exact_actors: bool = False
    sources: list[str] = field(default_factory=list)  # who acts: at least these, on the source side
    location: str | None = None
    negated: bool = False
    future: bool = False
    hypothetical: bool = False
    precision: str = "day"


CASES = [
    Case(
        "rfi-phone-putin-goita",
        "Le président russe Vladimir Poutine s'est entretenu au téléphone lundi avec le colonel "
        "Assimi Goïta, a indiqué le Kremlin.",
        D(2024, 3, 20),
        "CONSULT",
        "phone",
        D(2024, 3, 18),
        ["Vladimir Poutine", "Assimi Goïta"],
        exact_actors=True,
    ),
    Case(
        "afp-english-spelling-putin",
        "Vladimir Putin a eu un entretien téléphonique avec Assimi Goita, le 12 mars.",
        D(2024, 3, 14),
        "CONSULT",
        "phone",
        D(2024, 3, 12),
        ["Vladimir Poutine", "Assimi Goïta"],
        exact_actors=True,
    ),
    Case(
        "jeune-afrique-visit-tiani",
        "Le général Abdourahamane Tiani est arrivé à Bamako dimanche 5 mai 2024 pour une visite de travail. "
        "Il a été accueilli par le président de la transition, Assimi Goïta.",
        D(2024, 5, 6),
        "CONSULT",
        "visit",
        D(2024, 5, 5),
        ["Abdourahamane Tiani"],
        location="Bamako",
    ),
    Case(
        "studio-tamani-meeting-ouaga",
        "Le ministre des Affaires étrangères, Abdoulaye Diop, a rencontré son homologue burkinabè Karamoko "
        "Jean-Marie Traoré le 3/04/2024 à Ouagadougou.",
        D(2024, 4, 4),
        "CONSULT",
        "meeting",
        D(2024, 4, 3),
        ["Abdoulaye Diop", "Karamoko Jean-Marie Traoré"],
        exact_actors=True,
        location="Ouagadougou",
    ),
    Case(
        "aps-tebboune-receives",
        "Le président de la République, Abdelmadjid Tebboune, a reçu mardi à Alger le ministre nigérien des "
        "Affaires étrangères, Bakary Yaou Sangaré.",
        D(2024, 1, 11),
        "CONSULT",
        "visit",
        D(2024, 1, 9),
        ["Abdelmadjid Tebboune", "Bakary Yaou Sangaré"],
        location="Alger",
    ),
    Case(
        "xinhua-future-visit",
        "Le chef de la diplomatie russe Sergueï Lavrov se rendra à Niamey la semaine prochaine, selon Tass.",
        D(2024, 6, 3),
        "CONSULT",
        "visit",
        actors=["Sergueï Lavrov"],
        location="Niamey",
        future=True,
    ),
    Case(
        "rfi-denied-meeting",
        "Le colonel Assimi Goïta n'a pas rencontré le président ivoirien Alassane Ouattara lors du sommet.",
        D(2024, 2, 2),
        "CONSULT",
        actors=["Assimi Goïta", "Alassane Ouattara"],
        negated=True,
    ),
    Case(
        "lemonde-assault-menaka",
        "Une attaque jihadiste a fait au moins douze morts à Ménaka dimanche, selon des sources locales.",
        D(2024, 9, 17),
        "ASSAULT",
        date=D(2024, 9, 15),
        location="Ménaka",
    ),
    Case(
        "afp-jnim-attack",
        "Le JNIM a revendiqué l'attaque contre le camp militaire de Boni le 12 mars.",
        D(2024, 3, 14),
        "ASSAULT",
        date=D(2024, 3, 12),
        actors=["JNIM"],
    ),
    Case(
        "rfi-sanctions-cedeao",
        "La CEDEAO a imposé de lourdes sanctions économiques contre le Niger après le coup d'État.",
        D(2023, 8, 1),
        "SANCTION",
        actors=["CEDEAO", "Niger"],
    ),
    Case(
        "lemonde-retreat-france",
        "Le retrait des troupes françaises du Niger s'est achevé vendredi 22 décembre 2023.",
        D(2023, 12, 23),
        "RETREAT",
        date=D(2023, 12, 22),
        actors=["France"],
    ),
    Case(
        "studio-tamani-protest-bamako",
        "Des milliers de personnes ont participé samedi à une manifestation à Bamako contre la CEDEAO.",
        D(2022, 1, 17),
        "PROTEST",
        date=D(2022, 1, 15),
        location="Bamako",
    ),
    Case(
        "jeune-afrique-agreement",
        "Le Mali et la Russie ont signé un accord de coopération nucléaire à Moscou le 22 octobre 2023.",
        D(2023, 10, 24),
        "AGREE",
        date=D(2023, 10, 22),
        actors=["Mali", "Russie"],
    ),
    Case(
        "rfi-expel-ambassador",
        "Les autorités nigériennes ont expulsé l'ambassadeur de France, Sylvain Itté, en septembre 2023.",
        D(2023, 10, 1),
        "COERCE",
        date=D(2023, 9, 1),
        actors=["Niger"],
        precision="day",
    ),
    Case(
        "afp-accuse-france",
        "Le Premier ministre Choguel Maïga a accusé la France d'abandon en plein vol.",
        D(2021, 9, 27),
        "ACCUSE",
        actors=["Choguel Kokalla Maïga", "France"],
        exact_actors=True,
    ),
    Case(
        "anadolu-support",
        "La Turquie a réaffirmé son soutien au Burkina Faso dans la lutte contre le terrorisme.",
        D(2024, 5, 2),
        "SUPPORT",
        actors=["Turquie", "Burkina Faso"],
        exact_actors=True,
    ),
    Case(
        "aps-reject",
        "Alger a rejeté mercredi les accusations de Bamako.",
        D(2024, 1, 26),
        "REJECT",
        date=D(2024, 1, 24),
        actors=["Algérie"],
    ),
    Case(
        "rfi-threaten",
        "La CEDEAO a menacé le Niger d'une intervention militaire.",
        D(2023, 8, 5),
        "THREATEN",
        actors=["CEDEAO", "Niger"],
    ),
    Case(
        "xinhua-aid",
        "La Chine a livré des vivres au Mali, selon l'ambassade.",
        D(2024, 7, 2),
        "AID",
        actors=["Chine", "Mali"],
    ),
    Case(
        "lemonde-request",
        "Bamako a demandé le retrait sans délai de la Minusma le 16 juin 2023.",
        D(2023, 6, 17),
        "REQUEST",
        date=D(2023, 6, 16),
        actors=["Mali"],
    ),
    Case(
        "studio-tamani-mobilize",
        "L'armée malienne a déployé des renforts à Kidal hier.",
        D(2023, 11, 15),
        "MOBILIZE",
        date=D(2023, 11, 14),
        actors=["Forces armées maliennes"],
        location="Kidal",
    ),
    Case(
        "rfi-concede-release",
        "Les autorités maliennes ont libéré les 46 soldats ivoiriens en janvier 2023.",
        D(2023, 1, 8),
        "CONCEDE",
        date=D(2023, 1, 1),
        actors=["Mali"],
    ),
    Case(
        "jeune-afrique-cooperate",
        "Niamey et Moscou ont décidé de renforcer leur coopération militaire.",
        D(2024, 1, 17),
        "COOPERATE",
        actors=["Niger", "Russie"],
    ),
    Case(
        "rfi-weekday-last",
        "Le président Ibrahim Traoré a reçu jeudi une délégation russe conduite par Iounous-Bek Evkourov.",
        D(2024, 8, 31),
        "CONSULT",
        date=D(2024, 8, 29),
        actors=["Ibrahim Traoré"],
    ),
    Case(
        "afp-mid-month",
        "Le sommet de l'AES prévu mi-septembre à Niamey réunira les trois chefs d'État.",
        D(2024, 8, 20),
        "CONSULT",
        "meeting",
        actors=["Alliance des États du Sahel"],
        future=True,
    ),
    Case(
        "hypothetical-sanction",
        "La CEDEAO pourrait sanctionner le Mali si la transition n'est pas raccourcie.",
        D(2022, 1, 5),
        "SANCTION",
        actors=["CEDEAO"],
        hypothetical=True,
    ),
    Case(
        "homologue-unnamed",
        "Le ministre Abdoulaye Diop a eu un échange téléphonique avec son homologue turc mardi.",
        D(2024, 5, 16),
        "CONSULT",
        "phone",
        D(2024, 5, 14),
        ["Abdoulaye Diop"],
    ),
    Case(
        "capital-metonymy",
        "Moscou apporte son soutien à Bamako face aux groupes armés.",
        D(2024, 7, 30),
        "SUPPORT",
        actors=["Russie", "Mali"],
        exact_actors=True,
    ),
    Case(
        "undated-article-weekday",
        "Le président Bola Tinubu s'est entretenu vendredi 9 août avec Abdourahamane Tiani.",
        None,
        "CONSULT",
        date=D(2024, 8, 9),
        actors=["Bola Tinubu", "Abdourahamane Tiani"],
        exact_actors=True,
    ),
    Case(
        "relative-hours-after",
        "Le 4 mars, Assimi Goïta a reçu Ibrahim Traoré à Bamako. 48 heures après cette visite, le président "
        "burkinabè a eu un entretien téléphonique avec Vladimir Poutine.",
        D(2024, 3, 7),
        "CONSULT",
        "phone",
        D(2024, 3, 6),
        ["Ibrahim Traoré", "Vladimir Poutine"],
        exact_actors=True,
    ),
    Case(
        "erdogan-accent-spelling",
        "Recep Tayyip Erdoğan a rencontré Abdourahamane Tiani à Ankara le 12 février 2024.",
        D(2024, 2, 13),
        "CONSULT",
        "meeting",
        D(2024, 2, 12),
        ["Recep Tayyip Erdogan", "Abdourahamane Tiani"],
        exact_actors=True,
        location="Ankara",
    ),
    Case(
        "xinhua-suspension-media",
        "Le Niger a annoncé dimanche la suspension de la diffusion de RFI et France 24 sur son territoire.",
        D(2024, 5, 14),
        "COERCE",
        date=D(2024, 5, 12),
        actors=["Niger", "RFI"],
    ),
    Case(
        "aes-confederation-signed",
        "Les chefs d'État du Mali, du Niger et du Burkina Faso ont signé samedi 6 juillet 2024 à Niamey "
        "le traité instituant la Confédération des États du Sahel.",
        D(2024, 7, 7),
        "AGREE",
        date=D(2024, 7, 6),
    ),
    Case(
        "studio-tamani-unknown-gunmen",
        "Des hommes armés non identifiés ont attaqué mardi un poste de la gendarmerie à Kayes, tuant trois "
        "gendarmes, selon des sources sécuritaires.",
        D(2024, 6, 12),
        "ASSAULT",
        date=D(2024, 6, 11),
        location="Kayes",
    ),
    Case(
        "claimed-attack-participle-place",
        "Le Groupe de soutien à l'islam et aux musulmans (JNIM) a revendiqué l'attaque menée le 9 juin contre "
        "un camp militaire à Sévaré.",
        D(2024, 6, 12),
        "ASSAULT",
        date=D(2024, 6, 9),
        sources=["JNIM"],
        location="Sévaré",
    ),
    Case(
        "attack-agent-participle",
        "L'embuscade tendue par des jihadistes du JNIM a coûté la vie à sept soldats jeudi près de Boni.",
        D(2024, 10, 5),
        "ASSAULT",
        date=D(2024, 10, 3),
        sources=["JNIM"],
    ),
    Case(
        "ecowas-lifts-sanctions",
        "La Cédéao a levé samedi les sanctions économiques et financières imposées au Niger depuis le coup "
        "d'État de juillet 2023.",
        D(2024, 2, 25),
        "CONCEDE",
        date=D(2024, 2, 24),
        actors=["CEDEAO", "Niger"],
        sources=["CEDEAO"],
    ),
    Case(
        "sahel-states-leave-ecowas",
        "Le Mali, le Burkina Faso et le Niger ont annoncé dimanche leur retrait de la Communauté économique "
        "des États de l'Afrique de l'Ouest (Cédéao).",
        D(2024, 1, 29),
        "RETREAT",
        date=D(2024, 1, 28),
        actors=["CEDEAO"],
        sources=["Mali", "Burkina Faso", "Niger"],
    ),
    Case(
        "coup-overthrown-president",
        "Des militaires ont renversé mercredi le président nigérien Mohamed Bazoum, retenu dans sa résidence "
        "à Niamey.",
        D(2023, 7, 27),
        "COERCE",
        date=D(2023, 7, 26),
        actors=["Mohamed Bazoum"],
    ),
    Case(
        "coup-noun-with-date",
        "Le capitaine Ibrahim Traoré a pris le pouvoir au Burkina Faso par un coup d'État le 30 septembre 2022.",
        D(2022, 10, 3),
        "COERCE",
        date=D(2022, 9, 30),
        sources=["Ibrahim Traoré"],
    ),
    Case(
        "protest-gathering-place",
        "Plusieurs centaines de manifestants se sont rassemblés jeudi à Bamako pour protester contre les "
        "coupures d'électricité.",
        D(2024, 4, 11),
        "PROTEST",
        date=D(2024, 4, 11),
        location="Bamako",
    ),
    Case(
        "accusations-by-agent",
        "L'Algérie a convoqué l'ambassadeur du Mali à Alger après les accusations portées par Bamako.",
        D(2024, 5, 15),
        "ACCUSE",
        sources=["Mali"],
    ),
    Case(
        "regional-horde-of-attackers-at-night",
        "Une horde d'assaillants lourdement armés, présentés comme des éléments de Boko Haram, a fait "
        "irruption dans plusieurs quartiers de Kolofata dans la nuit de samedi à dimanche.",
        D(2024, 2, 5),
        "ASSAULT",
        date=D(2024, 2, 4),
        sources=["Boko Haram"],
    ),
    Case(
        "blog-armed-men-struck-the-town",
        "Avant-hier, des hommes armés ont une nouvelle fois frappé la ville de Djibo, dans le nord du Burkina Faso.",
        D(2024, 5, 28),
        "ASSAULT",
        date=D(2024, 5, 26),
    ),
    Case(
        "wire-gunmen-opened-fire",
        "Des jihadistes ont ouvert le feu mardi sur un marché de Mopti, au centre du Mali.",
        D(2024, 7, 31),
        "ASSAULT",
        date=D(2024, 7, 30),
    ),
    Case(
        "daily-crowds-took-to-the-streets",
        "Vendredi, des milliers de Sénégalais sont descendus dans les rues de Dakar pour exiger le maintien "
        "de l'élection présidentielle.",
        D(2024, 2, 10),
        "PROTEST",
        date=D(2024, 2, 9),
        location="Dakar",
    ),
    Case(
        "state-media-received-in-audience",
        "Le Ministre des Affaires étrangères, Son Excellence Monsieur Abdoulaye DIOP, a reçu en audience, le "
        "lundi 10 juin 2024, dans son cabinet, Son Excellence Monsieur CHEN Zhihong, Ambassadeur de Chine.",
        D(2024, 6, 11),
        "CONSULT",
        "meeting",
        D(2024, 6, 10),
        ["Abdoulaye Diop", "Chen Zhihong"],
    ),
    Case(
        "communique-son-excellence-visit",
        "À l'invitation de Son Excellence Monsieur Alassane Ouattara, Président de la République de Côte "
        "d'Ivoire, Son Excellence Monsieur Bassirou Diomaye Faye effectuera une visite de travail à Abidjan "
        "le mardi 7 mai 2024.",
        D(2024, 5, 2),
        "CONSULT",
        "visit",
        D(2024, 5, 7),
        ["Bassirou Diomaye Faye", "Alassane Ouattara"],
        future=True,
    ),
    Case(
        "wire-deal-announced-by-a-country-and-its-minister",
        "Le Qatar a annoncé mercredi la conclusion d'un accord de cessez-le-feu entre Israël et le Hamas. "
        "« Les deux parties sont parvenues à un accord », a déclaré le Premier ministre qatari, cheikh "
        "Mohammed ben Abdelrahmane Al-Thani.",
        D(2025, 1, 15),
        "AGREE",
        date=D(2025, 1, 15),
        actors=["Mohammed ben Abdelrahmane Al-Thani"],
    ),
    Case(
        "daily-pledge-to-pay-billions",
        "La communauté internationale s'est engagée ce lundi à Paris à verser plus de deux milliards "
        "d'euros d'aide humanitaire au Soudan.",
        D(2024, 4, 15),
        "AID",
        date=D(2024, 4, 15),
        actors=["Soudan"],
    ),
    Case(
        "agency-bank-released-millions",
        "La Banque mondiale a débloqué mardi 50 millions de dollars pour le Niger.",
        D(2024, 4, 17),
        "AID",
        date=D(2024, 4, 16),
        sources=["Banque mondiale"],
    ),
    Case(
        "daily-protest-against-the-president",
        "Plus d'un millier de personnes ont défilé vendredi dans le centre de Tunis pour dénoncer « la "
        "dérive autoritaire » du président Kaïs Saïed.",
        D(2024, 9, 14),
        "PROTEST",
        date=D(2024, 9, 13),
        actors=["Kaïs Saïed"],
        location="Tunis",
    ),
]


def _names(event: Event) -> set[str]:
    return {fold(a.name) for a in event.source_actors + event.target_actors}


def _matches(event: Event, case: Case) -> bool:
    if event.type != case.type or (case.mode and event.mode != case.mode):
        return False
    if case.date and event.date != case.date:
        return False
    wanted = {fold(a) for a in case.actors}
    if not wanted <= _names(event) or (case.exact_actors and wanted != _names(event)):
        return False
    if not {fold(a) for a in case.sources} <= {fold(a.name) for a in event.source_actors}:
        return False
    if case.location and (event.location is None or fold(event.location.name) != fold(case.location)):
        return False
    context = event.context
    return (context.negated, context.future, context.hypothetical) == (
        case.negated,
        case.future,
        case.hypothetical,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_extract_events_french_news(nlp, case: Case) -> None:
    """The expected event comes out of a short French news item, with its date, actors and flags."""
    article = extract_one(nlp, case.text, case.published, case.precision)
    assert any(_matches(e, case) for e in article.events), [
        (e.type, e.mode, e.date, sorted(_names(e)), e.location, e.context) for e in article.events
    ]
