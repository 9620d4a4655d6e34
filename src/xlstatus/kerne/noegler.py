"""Text keys: the comparable form of a text, one function per rule. Pure.

- `alnum_key` — letters and digits only, case-folded, æ/ø/å spelled ae/oe/aa, accents
  dropped: column names, table and sheet names of an extract ('Forløb' = 'forloeb');
- `spaceless_key` — case, all white space, the kind of dash and a final period ignored:
  a schema row's label on a sheet ('Behovsafdækning – antal.' = 'behovsafdækning-antal');
- `spaced_key` — case, repeated white space and the kind of dash ignored, words kept
  apart: names in the Måltal table and on its sheet ('Flere  i job' = 'flere i job').
"""

from __future__ import annotations

import re
import unicodedata

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"
DASH_TABLE = str.maketrans(dict.fromkeys(DASHES, "-"))
_SPELLED = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})


def alnum_key(text: object) -> str:
    """Case-folded, æ/ø/å as ae/oe/aa, only letters and digits kept."""
    t = unicodedata.normalize("NFKC", str(text)).casefold().translate(_SPELLED)
    t = unicodedata.normalize("NFKD", t)
    return re.sub(r"[^0-9a-z]+", "", t)


def spaceless_key(text: object) -> str:
    """Case, white space, dash kind and a final period do not matter."""
    t = unicodedata.normalize("NFC", str(text)).translate(DASH_TABLE).casefold()
    t = re.sub(r"\s+", "", t)
    return t.rstrip(".")


def spaced_key(text: object) -> str:
    """Case, repeated spaces and the kind of dash ignored (None is '')."""
    t = re.sub(r"[‐-―−]", "-", str(text or ""))
    return re.sub(r"\s+", " ", t).strip().casefold()
