"""The Reports screen, the moderation dashboard, Home's insights and the editor's PDF button,
driven like a user (offscreen), with file dialogs and message boxes patched."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from auditor.domain.grades import Grade
from auditor.domain.periods import FinancialYear
from auditor.domain.permissions import NotPermitted
from auditor.reports.data import DEFAULT_MARKING
from auditor.ui.audits.audit_editor import AuditEditor
from auditor.ui.home.home_page import HomePage
from auditor.ui.reports.moderation_page import ModerationPage
from auditor.ui.reports.reports_page import ReportsPage
from auditor.ui.shell import report_settings
from auditor.ui.shell.background import SyncRunner
from tests.builders import admin_of, run_to, who
from tests.reports.conftest import close_audit, pdf_text


@pytest.fixture(autouse=True)
def messages(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    return shown


@pytest.fixture
def save_as(file_dialog):
    """Answer the next save dialog with a path (or cancel with '')."""
    return file_dialog


@pytest.fixture
def closed(services, org):
    audit_id = run_to(
        services, org, "reconciliation", first=Grade.GOOD, final=Grade.REQUIRES_IMPROVEMENT
    )
    close_audit(services, org, audit_id)
    return audit_id


@pytest.fixture
def page(qtbot, services, org, closed):
    widget = ReportsPage(services, who(services, org.qa), SyncRunner())
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def choose(page, key):
    page.report.setCurrentIndex(page.report.findData(key))


def test_qa_report_previewed_then_saved_from_the_reports_screen(qtbot, page, save_as, tmp_path):
    choose(page, "qa")
    assert page.preview_button.isEnabled() and not page.audit_id.isVisible()
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert len(page.preview.pages) >= 3 and not page.preview.pages[0].pixmap().isNull()
    assert "Preview:" in page.status.text()
    save_as.path = tmp_path / "qa-report"  # no suffix typed: .pdf is added
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "qa-report.pdf"
    assert saved.exists() and "Saved qa-report.pdf" in page.status.text()
    text = pdf_text(saved)
    assert "Quality assurance report" in text and "Fay Quality" in text
    assert report_settings.save_folder() == tmp_path


def test_qa_report_saved_as_accessible_html_by_keyboard(qtbot, page, save_as, tmp_path):
    choose(page, "qa")
    assert page.html_button.isVisible()
    save_as.path = tmp_path / "qa-report"  # no suffix typed: .html is added
    page.html_button.setFocus()
    qtbot.keyClick(page.html_button, Qt.Key.Key_Space)
    saved = tmp_path / "qa-report.html"
    assert saved.exists() and "Saved qa-report.html" in page.status.text()
    text = saved.read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in text and "<h1>Quality assurance report</h1>" in text
    assert text.count(DEFAULT_MARKING) >= 2
    choose(page, "xlsx")
    assert not page.html_button.isVisible()


def test_marking_is_kept_in_settings_and_used(qtbot, page, save_as, tmp_path, closed):
    assert page.marking.text() == DEFAULT_MARKING
    page.marking.clear()
    qtbot.keyClicks(page.marking, "OFFICIAL")
    page.marking.editingFinished.emit()
    assert report_settings.marking() == "OFFICIAL"
    choose(page, "audit")
    assert page.audit_id.value() == closed
    save_as.path = tmp_path / "a.pdf"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    text = pdf_text(tmp_path / "a.pdf")
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text


def test_export_shows_progress_and_can_be_cancelled(qtbot, page, save_as, tmp_path):
    choose(page, "xlsx")
    assert not page.preview_button.isEnabled()
    seen = []
    page.progressed.connect(lambda done, total, what: seen.append((done, total)))
    save_as.path = tmp_path / "all.xlsx"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "all.xlsx").exists() and seen and seen[-1][0] == seen[-1][1]
    assert not page.progress.isVisible() and page.save_button.isEnabled()
    # Cancel pressed while it runs (here: at the first progress report).
    page.progressed.connect(lambda *_: page.cancel_button.click())
    save_as.path = tmp_path / "again.xlsx"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not (tmp_path / "again.xlsx").exists()
    assert page.status.text() == "Cancelled. Nothing was saved."


def test_problems_are_explained_calmly(qtbot, page, save_as, tmp_path, messages):
    choose(page, "csv")
    save_as.path = tmp_path / "missing" / "grades.csv"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert messages and "does not exist" in messages[-1]
    page.period.set_period(dt.date(2026, 1, 1), dt.date(2025, 1, 1))
    choose(page, "qa")
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert "before it starts" in messages[-1]
    save_as.path = ""  # the user cancels the dialog
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.save_button.isEnabled()


def test_editor_saves_the_pdf_summary_in_one_click(
    qtbot, services, org, closed, save_as, tmp_path, messages
):
    editor = AuditEditor(services, SyncRunner(), closed, who(services, org.manager))
    qtbot.addWidget(editor)
    editor.show()
    save_as.path = tmp_path / "summary.pdf"
    qtbot.mouseClick(editor.pdf_button, Qt.MouseButton.LeftButton)
    assert "PDF saved" in editor.save_label.text()
    assert "Case-file audit summary — CF-1" in pdf_text(tmp_path / "summary.pdf")
    services.directory.add_person(
        "sw.other",
        "Other Worker",
        [services.directory.person(org.worker, who=admin_of(services)).roles[0]],
        "South",
        who=admin_of(services),
    )
    # someone of another team cannot even open it, so has nothing to print from
    outsider = AuditEditor(services, SyncRunner(), closed, who(services, "sw.other"))
    qtbot.addWidget(outsider)
    assert not hasattr(outsider, "pdf_button")
    assert "not one you may see" in messages[-1]
    with pytest.raises(NotPermitted):
        services.reports.write_activity_pdf(
            closed, tmp_path / "no.pdf", who=who(services, "sw.other")
        )
    assert not (tmp_path / "no.pdf").exists()


def test_moderation_dashboard_shows_agreement_or_not_enough_data(qtbot, services, org):
    page = ModerationPage(services, who(services, org.qa))
    qtbot.addWidget(page)
    page.show()
    assert page.figures["exact"].value.text() == "–"
    assert page.summary.text().startswith("Not enough data")
    audit_id = run_to(services, org, "reconciliation", first=Grade.GOOD, final=Grade.GOOD)
    close_audit(services, org, audit_id)
    page.refresh()
    assert page.figures["exact"].value.text() == "100%"
    assert page.figures["n"].value.text() == "1"
    assert page.matrix.item(1, 2).text() == "1"  # Good / Good on the diagonal
    assert page.auditors.rowCount() == 1 and page.auditors.item(0, 0).text() == "Ben Manager"
    assert page.domains.rowCount() >= 8


def test_moderation_headers_are_whole_and_in_plain_words(qtbot, services, org):
    page = ModerationPage(services, who(services, org.qa))
    qtbot.addWidget(page)
    page.resize(1000, 700)  # a small laptop's share of the window
    page.show()
    header = page.matrix.horizontalHeader()
    metrics = header.fontMetrics()
    for column in range(1, page.matrix.columnCount()):
        item = page.matrix.horizontalHeaderItem(column)
        assert item.toolTip() == item.text()  # readable in full on hover, however narrow
        assert header.sectionSize(column) >= metrics.horizontalAdvance(item.text())
    texts = [page.domains.horizontalHeaderItem(i).text() for i in range(page.domains.columnCount())]
    assert "Weighted kappa" not in texts and "Beyond chance" in texts
    beyond = page.domains.horizontalHeaderItem(texts.index("Beyond chance"))
    assert "Weighted kappa" in beyond.toolTip()
    assert "kappa" not in page.figures["kappa"].caption.text().lower()
    assert "Weighted kappa" in page.figures["kappa"].toolTip()


def test_home_shows_quarters_and_agreement(qtbot, services, org, closed):
    home = HomePage(services, who(services, org.senior))
    qtbot.addWidget(home)
    home.refresh()
    year = FinancialYear.of(dt.date.today()).label
    text = home.insights.agreement.text()
    assert f"({year})" in text and "of 1 audit," in text and "0%" in text
    assert "1 audits" not in text and "kappa" not in text.lower()  # plain words on screen
    assert "Weighted kappa" in home.insights.agreement.toolTip()  # the term, for who wants it
    assert sum(q.counts.total for q in home.insights.chart.quarters) == 1
    # Home's overdue count and the QA report's are different counts, and each says which
    assert "overdue today" in home.states.text() and "whenever it was agreed" in home.states.text()


def test_main_window_has_reports_and_moderation_tabs(qtbot, services, org):
    from auditor.ui.shell.main_window import MainWindow

    window = MainWindow(services, who(services, org.qa), SyncRunner())
    qtbot.addWidget(window)
    window.show()
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == [
        "&Home",
        "&All audits",
        "&Practice weeks",
        "&Reports",
        "&Moderation",
        "Case &samples",
    ]
    [go] = [m for m in window.menuBar().actions() if m.text() == "&Go"]
    [moderation] = [a for a in go.menu().actions() if a.text() == "&Moderation"]
    assert moderation.shortcut().toString() == "Ctrl+5"
    moderation.trigger()
    assert window.current_page() is window.moderation
    assert window.moderation.summary.text().startswith("Not enough data")
    window.close()
