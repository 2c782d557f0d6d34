"""The accessible QA report: real headings and table headers, escaped data, the marking twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
from html.parser import HTMLParser

from auditor.reports.data import DocumentInfo, GroupGrades
from auditor.reports.qa_html import qa_html, write_qa_html
from tests.builders import Org, who
from tests.reports.test_qa_report import counts, golden_report, graded, this_year  # noqa: F401

HOSTILE = '<script>alert("x")</script> & Co'


class Outline(HTMLParser):
    """What a screen reader navigates by: headings, tables, captions, header cells, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.captions: list[str] = []
        self.tables = 0
        self.th_scopes: list[str | None] = []
        self.tags: set[str] = set()
        self.lang: str | None = None
        self.text: list[str] = []
        self.script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "table":
            self.tables += 1
        if tag == "th":
            self.th_scopes.append(a.get("scope"))
        if tag in ("h1", "h2", "caption", "script"):
            self.stack.append(tag)
            self.current: list[str] = []

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
            words = "".join(self.current)
            if tag == "caption":
                self.captions.append(words)
            elif tag == "script":
                self.script_text.append(words)
            else:
                self.headings.append((tag, words))

    def handle_data(self, data):
        self.text.append(data)
        if self.stack:
            self.current.append(data)


def outline(text: str) -> Outline:
    parser = Outline()
    parser.feed(text)
    parser.close()
    return parser


def test_the_html_has_headings_captions_and_scoped_headers():
    page = outline(qa_html(golden_report()))
    assert page.lang == "en-GB"
    assert page.headings[0] == ("h1", "Quality assurance report")
    assert [h for h in page.headings if h[0] == "h1"] == [("h1", "Quality assurance report")]
    h2 = [words for tag, words in page.headings if tag == "h2"]
    for section in (
        "Grades by period and activity",
        "Audit grades by team",
        "Consistency between first and second audits",
        "Follow-up actions",
        "Practice weeks",
    ):
        assert section in h2
    assert page.tables >= 6 and len(page.captions) == page.tables
    assert page.th_scopes and set(page.th_scopes) == {"col", "row"}
    assert "script" not in page.tags and "img" not in page.tags
    words = " ".join(page.text)
    assert "Łukasz's team" in words and "Zoë's team" in words


def test_a_hostile_team_name_and_marking_are_shown_as_text_never_run():
    report = golden_report()
    report = dataclasses.replace(
        report,
        info=DocumentInfo(
            "QA</title><script>x</script>",
            f"OFFICIAL {HOSTILE}",
            HOSTILE,
            dt.datetime(2021, 4, 20, 9, 0),
        ),
        by_team=(GroupGrades(HOSTILE, counts(1, 2, 3, 0)),),
    )
    text = qa_html(report)
    page = outline(text)
    assert "<script>" not in text and "script" not in page.tags and not page.script_text
    words = " ".join(page.text)
    assert HOSTILE in words  # shown exactly as the team is called
    assert "&lt;script&gt;" in text


def test_the_marking_is_at_the_top_and_the_bottom(tmp_path):
    path = write_qa_html(golden_report(), tmp_path / "qa.html")
    text = path.read_text(encoding="utf-8")
    body = text[text.index("<body>") :]
    assert body.count("OFFICIAL-SENSITIVE") >= 2
    assert body.index("OFFICIAL-SENSITIVE") < body.index("<h1>")
    assert body.rindex("OFFICIAL-SENSITIVE") > body.rindex("</table>")
    assert not list(tmp_path.glob("*.part"))


def test_the_service_writes_the_same_figures_as_the_pdf(services, graded, tmp_path):  # noqa: F811
    start, end = this_year()
    path = services.reports.write_qa_html(
        start, end, tmp_path / "qa.html", "OFFICIAL", who=who(services, Org.qa)
    )
    report = services.reports.qa_report(start, end, "OFFICIAL", who=who(services, Org.qa))
    words = " ".join(outline(path.read_text(encoding="utf-8")).text)
    current = [row for row in report.table if not row.period.comparison]
    assert current and all(row.category.label in words for row in current)
    assert "OFFICIAL" in words and "OFFICIAL-SENSITIVE" not in words
