"""xlstatus recognises its own notes, also where Office.js could not set the author."""

from __future__ import annotations

from datetime import date

import pytest

from xlstatus.kerne.status import Targets, assess
from xlstatus.plan import tekster
from xlstatus.plan.data import Note
from xlstatus.skabelonfiler import load_schemas


@pytest.mark.parametrize("value", [80.0, 100.0, 120.0])
def test_status_notes_are_ours_whoever_is_the_author(value):
    flere = load_schemas()[1]
    row = flere.row("Målgruppeantal", "Aktivitetsparate kontanthjælpsmodtagere")
    targets = Targets(row.targets, row.direction, row.start, flere.startmaaling)
    march = date(2024, 3, 1)
    text = tekster.status_note(row, march, assess(value, targets, march), None)
    assert text and Note(text, "Jens Hansen").ours
    assert Note(tekster.person_note(text), "Jens Hansen").ours


def test_a_persons_note_is_not_ours():
    assert not Note("Tallet er fra jobindsats.dk, ✔ tjekket", "Jens Hansen").ours
    assert not Note("Forventet: mere", "Jens Hansen").ours
    assert Note("hvad som helst", tekster.NOTE_AUTHOR).ours
