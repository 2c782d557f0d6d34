from auditor.domain.words import counted


def test_counts_are_singular_for_one_only():
    assert counted(1, "case") == "1 case"
    assert counted(0, "case") == "0 cases"
    assert counted(2, "audit") == "2 audits"
    assert counted(1, "person", "people") == "1 person"
    assert counted(3, "person", "people") == "3 people"
