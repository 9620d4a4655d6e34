"""The codes and columns of a FACIT extract (udtraek.md), as plain data.

Kept apart from `kerne.model` so that a caller needing only the codes (the schema parser,
the command line's help and option checks) imports neither numpy nor pandas.
"""

from __future__ import annotations

MAALGRUPPER = [
    "A-dagpenge",
    "Kontanthjælp jobparat",
    "Kontanthjælp aktivitetsparat",
    "Uddannelseshjælp uddannelsesparat",
    "Uddannelseshjælp aktivitetsparat",
    "Sygedagpenge",
    "Jobafklaring",
    "Ressourceforløb",
    "Ledighedsydelse",
    "Fleksjob",
    "Selvforsørgelses- og hjemrejseydelse",
    "Førtidspension",
]
AFGANGSAARSAGER = [
    "Job",
    "Uddannelse",
    "Fleksjob",
    "Udviklingsfleksjob",
    "Voksenlære",
    "Førtidspension",
    "Anden ydelse",
    "Selvforsørgelse",
    "Ukendt",
]
AFSLUTNINGER = ["Job", "Uddannelse", "Voksenlære", "Fleksjob", "Udviklingsfleksjob", "Andet"]
MARKERINGER = [
    "KPIJ-HENVIST",
    "JOBPERRONEN",
    "FLERE-I-JOB",
    "KOMPETENCEPORTEN",
    "KP-OPKVALIFICERET",
    "SOCIALT-FRIKORT",
]
TILBUD = [
    "Virksomhedspraktik",
    "Løntilskud",
    "Vejledning og opkvalificering",
    "Nytteindsats",
    "Mentor",
]

# table -> {column: (kind, required)}; kind is one of text, code, date, decimal, month
TABLES: dict[str, dict[str, tuple[str, bool]]] = {
    "forloeb": {
        "cpr": ("text", True),
        "maalgruppe": ("code", True),
        "startdato": ("date", True),
        "slutdato": ("date", False),
        "afgangsaarsag": ("code", False),
        "foedselsdato": ("date", False),
        "timer_pr_uge": ("decimal", False),
    },
    "markeringer": {
        "cpr": ("text", True),
        "markering": ("code", True),
        "startdato": ("date", True),
        "slutdato": ("date", False),
        "afslutning": ("code", False),
    },
    "tilbud": {
        "cpr": ("text", True),
        "tilbud": ("code", True),
        "startdato": ("date", True),
        "slutdato": ("date", False),
    },
    "loentimer": {
        "cpr": ("text", True),
        "maaned": ("month", True),
        "timer": ("decimal", True),
    },
    "virksomheder": {
        "cvr": ("text", True),
        "navn": ("text", False),
        "behovsafdaekket": ("date", False),
        "oensker_kompetenceloeft": ("date", False),
    },
}

# the analyses' directions and defaults (analyser.md); kerne.analyser uses these
TILGANG = "tilgang"
AFGANG = "afgang"
STANDARD_MAANEDER = 14
STANDARD_PUNKTER = 6
