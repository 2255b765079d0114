"""French function words the event rules read: prepositions that mark a role, clause stops."""

from __future__ import annotations

TARGET_CASES = {"à", "a", "au", "aux", "avec", "contre", "envers", "auprès", "entre", "vers"}
PLACE_CASES = {"à", "a", "au", "aux", "en", "dans", "vers", "près", "sur"}
OWNER_CASES = {"de", "du", "des", "d'"}
POSSESSIVES = {"son", "sa", "ses", "leur", "leurs"}
COUNTRY_WORD = "pays"
TARGETISH_PREPOSITIONS = {
    "à",
    "a",
    "au",
    "aux",
    "avec",
    "contre",
    "envers",
    "pour",
    "sur",
    "en",
    "dans",
    "par",
    "vers",
    "auprès",
    "chez",
    "entre",
    "lors",
}
CLAUSE_STOPS = {
    ";",
    ".",
    "selon",
    "afin",
    "dont",
    "qui",
    "que",
    "qu'",
    "lorsque",
    "mais",
    "tandis",
    "car",
    "lors",
}
FRAME_OF_TIME = {"cours", "occasion", "lors", "issue", "marge", "cadre"}
