"""The audit page's words for a record's subject: fields in lines, ids whole."""

from nitka.web.ui.audit_words import subject_lines


def test_a_subject_reads_as_fields_with_lists_counted_and_ids_whole() -> None:
    subject = (
        '{"id":"p-victim-1","ids":["a1","a2","a3","a4","a5"],"nested":true,'
        '"query":"' + "Petrenko " * 30 + '"}'
    )
    lines = dict(subject_lines(subject))
    assert lines["id"] == "p-victim-1"
    assert lines["ids"] == "a1, a2, a3 (+2)"
    assert lines["nested"] == "yes"
    assert lines["query"].endswith(" …") and "Petrenk …" not in lines["query"]
    long_id = "x" * 300
    assert dict(subject_lines({"hash": long_id}))["hash"] == long_id


def test_a_subject_that_is_not_json_is_shown_as_text() -> None:
    assert subject_lines("the whole store") == [("", "the whole store")]
    assert subject_lines("") == []
