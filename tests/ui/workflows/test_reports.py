"""Reports by keyboard only: from the picker, Reports (Ctrl+4), a period chosen, the QA report saved
as a PDF and as accessible HTML, then the grade table (CSV) and the audits (Excel) exported. The
file dialog is the only thing not typed: the app's ``file_dialogs.run_dialog`` is answered with a
path (a native dialog is not the app's). The closed audit they report on is made through the
services beforehand: the other workflow tests make audits by keyboard."""

from __future__ import annotations

import csv
import zipfile

from PySide6.QtCore import Qt

from auditor.domain.grades import Grade
from auditor.domain.workflow import Part
from auditor.ui.widgets.period_picker import PeriodPicker
from tests.builders import fill, run_to, who
from tests.ui.workflows.conftest import close_session
from tests.ui.workflows.form_keys import choose_in_combo
from tests.ui.workflows.keyboard import CTRL, Keyboard


def closed_audit(services, org) -> int:
    audit_id = run_to(services, org, "second_audit", first=Grade.GOOD)
    form = services.forms.latest("case_file_audit")
    senior = who(services, org.senior)
    services.audits.submit(audit_id, Part.SECOND_AUDIT, by=senior, answers=fill(form))
    services.audits.close(audit_id, by=senior)
    return audit_id


def save(kb: Keyboard, page, file_dialog, path, mnemonic: str) -> None:
    """Alt+<mnemonic> (Save… or Save accessible HTML…), the dialog answered with ``path``."""
    file_dialog.path = path
    kb.alt(mnemonic)
    kb.qtbot.waitUntil(lambda: f"Saved {path.name}" in page.status.text(), timeout=15000)


def test_reports_from_the_picker_to_saved_files_by_keyboard_only(
    qtbot, services, org, start_session, keyboard, file_dialog, tmp_path
):
    closed_audit(services, org)
    kb = keyboard
    window = start_session("Eve Head")
    kb.press(Qt.Key.Key_4, CTRL)  # Go > Reports
    page = window.reports
    kb.alt("i")  # Per&iod
    assert isinstance(kb.focus().parent(), PeriodPicker)
    choose_in_combo(kb, page.period.preset, page.period.preset.itemData(2))  # the last 12 months
    assert page.period.preset.currentText() == "The last 12 months"
    pdf, html = tmp_path / "qa.pdf", tmp_path / "qa.html"
    save(kb, page, file_dialog, pdf, "v")  # Sa&ve…: the QA report as a PDF
    save(kb, page, file_dialog, html, "t")  # Save accessible H&TML…
    kb.alt("o")  # Rep&ort
    choose_in_combo(kb, page.report, "csv")
    table = tmp_path / "grades.csv"
    save(kb, page, file_dialog, table, "v")
    kb.alt("o")
    choose_in_combo(kb, page.report, "xlsx")
    sheet = tmp_path / "audits.xlsx"
    save(kb, page, file_dialog, sheet, "v")
    close_session(qtbot, window, kb)
    kb.assert_no_dialog_left()

    assert pdf.read_bytes().startswith(b"%PDF")
    text = html.read_text(encoding="utf-8")
    assert "<h1" in text and "<th" in text
    rows = list(csv.DictReader(table.read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["activity"], r["good"], r["total"]) for r in rows] == [("audit", "1", "1")]
    assert zipfile.is_zipfile(sheet)
    kb.report("reports")
