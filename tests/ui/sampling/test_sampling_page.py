"""The case-samples screen: propose with a seed, reproduce it, save, swap with a reason, start."""

from __future__ import annotations

from PySide6.QtCore import Qt

from auditor.domain.activities import ActivityKind
from auditor.ui.sampling.sampling_page import SamplingPage
from tests.builders import admin_of, who


def make_page(qtbot, services, username):
    page = SamplingPage(services, who(services, username))
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.refresh()
    return page


def shown(page):
    return [page.table.item(r, 0).text() for r in range(page.table.rowCount())]


def test_a_qa_lead_draws_saves_swaps_and_starts_a_thematic_sample(qtbot, services, org):
    for i in range(10):
        services.directory.add_case(
            f"CF-{200 + i}", "child_in_need", "North", org.worker, who=admin_of(services)
        )
        if i % 2:
            services.sampling.tag(f"CF-{200 + i}", ["neglect"], by=who(services, org.qa))
    page = make_page(qtbot, services, org.qa)
    page.theme.setCurrentIndex(page.theme.findData("neglect"))
    page.size_box.setValue(3)
    page.seed.setValue(41)
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    first = shown(page)
    assert len(first) == 3 and "Draw number 41: 3 of 5 eligible cases" in page.counts.text()
    assert "8 not tagged “neglect”" in page.counts.text()  # 5 untagged + the 3 org cases
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    assert shown(page) == first  # same seed, same cases
    assert not page.swap_button.isEnabled()

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Give the sample a name" in page.problem.text()
    qtbot.keyClicks(page.name, "Neglect thematic audit")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    [sample] = services.sampling.samples(who=who(services, org.qa))
    assert [c.reference for c in sample.cases] == first and page.swap_button.isEnabled()

    page.swap(first[0], "no")
    assert "Say why" in page.problem.text()
    page.swap(first[0], "Does not fit the theme after all")
    sample = services.sampling.sample(sample.id, who=who(services, org.qa))
    assert sample.cases[0].swapped_out_reason == "Does not fit the theme after all"
    assert len(shown(page)) == 4 and page.table.item(0, 5).text().startswith("Does not fit")

    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    started = [
        c.audit_id for c in services.sampling.sample(sample.id, who=who(services, org.qa)).in_sample
    ]
    assert all(started)
    assert (
        services.views.detail(started[0], who=who(services, org.qa)).row.kind
        is ActivityKind.THEMATIC_AUDIT
    )
    assert "3 audits started" in page.counts.text()
