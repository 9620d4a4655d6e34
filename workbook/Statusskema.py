"""Opdater-knappen og xlstatus-funktionerne i Statusskema.xlsm (skrivebords-Excel).

Genereret af `xlstatus byg-arbejdsbog` – ret ikke i filen. Knappen Opdater kører makroen
SampleCall, som via xlwings' RunPython kalder main() i denne fil med arbejdsbogen, der er
åben i Excel. Filen skal ligge i samme mappe som Statusskema.xlsm og hedde som den.
Funktionerne herunder hentes ind i Excel med makroen ImportPythonUDFs (Alt+F8).
"""

import xlwings as xw

from xlstatus import excel
from xlstatus.excel import (  # noqa: F401 - Import Functions finder dem her
    xlstatus_indikator,
    xlstatus_forventet,
    xlstatus_status,
    xlstatus_antal_andel,
    xlstatus_maaltal,
    xlstatus_fuldtidspersoner,
    xlstatus_projekter,
    xlstatus_raekker,
    xlstatus_prognose,
    xlstatus_vandringer,
)


def main():
    """Opdater: udfyld måneden fra FACIT-udtrækket i den åbne arbejdsbog."""
    excel.koer_opdater(xw.Book.caller())


def klargoer():
    """Klargør til udvalg: lav kopien til udvalget ved siden af arbejdsbogen."""
    excel.koer_klargoer(xw.Book.caller())


if __name__ == "__main__":  # kør fra en terminal med arbejdsbogen åben i Excel
    xw.Book("Statusskema.xlsm").set_mock_caller()
    main()
