"""The History page reads as sentences a review lead understands, in their language."""

import ast
import re
from datetime import UTC, datetime
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from acsreview.web.consultations.models import Consultation, Link
from acsreview.web.instruments import instrument_of, localized_instrument_of
from acsreview.web.reviews.models import AuditEvent, ContextIndicator, Measure, MeasureStat
from acsreview.web.reviews.services import history, history_values
from acsreview.web.reviews.services.audit import record
from acsreview.web.reviews.services.history import OTHER, SENTENCES, describe

from .test_interface_translations import LOCALE, catalogue_entries

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parent.parent / "src" / "acsreview"
ACTION = "system:address_barriers"


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def table_of(response) -> str:
    """The visible text of the history table's body."""
    html = response.content.decode()
    return text_of(html[html.index("<tbody>"):html.index("</tbody>")])


def history_url(review):
    return reverse("reviews:history", args=[review.slug])


def every_kind_of_event(cast):
    """One event of each kind the code writes, with the payloads it writes them with."""
    review, user = cast.xa_review, cast.xa_lead
    measure = Measure.objects.create(review=review, name="Drug court", measure_type="treatment",
                                     stage="sentencing")
    stat = MeasureStat.objects.create(measure=measure, year=2024, referred=120)
    indicator = ContextIndicator.objects.create(review=review, indicator="prison_population",
                                                year=2023, value=Decimal("10250.00"),
                                                source="Ministry")
    consultation = Consultation.objects.create(review=review, title="Spring round",
                                               languages=["en", "fr"])
    link = Link.objects.create(consultation=consultation, group="police")
    answer_before = {"answer": "yes", "text": "", "evidence": "", "sources": [],
                     "confidence": "", "notes": "", "severity_override": None,
                     "override_justification": "", "carried_over": True}
    answer_after = answer_before | {
        "answer": "no", "evidence": "Two rulings.\nOne circular.", "confidence": "high",
        "sources": [{"title": "Penal code", "url": "https://example.org", "year": 2019}],
        "severity_override": 2, "carried_over": False}
    decision = {"decision": "edited", "title": "Draft a law", "description": "",
                "justification": "Too broad", "owner": "Ministry", "due_date": "2026-12-31",
                "status": "not_started", "rank": 1, "weight": 2.7764123456, "level_id": "system",
                "area_id": "address_barriers",
                "barriers": {"SYS-REG-01": 2, "SYS-REG-02": None, "SYS-REG-03": 1}}
    events = [
        ("answer", "SYS-REG-01", "update", answer_before, answer_after),
        ("answer", "SYS-REG-01", "confirm", {"carried_over": True}, {"carried_over": False}),
        ("correspondent_answer", "LPC-2", "update", {}, {
            "research_exists": "yes", "findings": "Mostly positive",
            "studies": [{"citation": "Smith, Courts", "year": 2020, "url": ""}]}),
        ("adoption", "SYS-REG-02", "create", None,
         {"decision": "override", "justification": "We know better"}),
        ("adoption", "SYS-REG-02", "update", {"decision": "override"}, {"decision": "adopt"}),
        ("measure", measure.pk, "create", None,
         {"name": "Drug court", "measure_type": "treatment", "stage": "sentencing",
          "legal_basis": "", "carried_over": False}),
        ("measure", measure.pk, "update", {"stage": "sentencing"},
         {"stage": "prosecution"}),
        ("measure", measure.pk, "confirm", {"carried_over": True}, {"carried_over": False}),
        ("measure", 9999, "delete", {"name": "Old diversion", "measure_type": "education"},
         None),
        ("measure_stat", stat.pk, "create", None,
         {"year": 2024, "referred": 120, "eligible": None, "measure": "Drug court"}),
        ("measure_stat", stat.pk, "update", {"referred": 100}, {"referred": 120}),
        ("measure_stat", 9998, "delete", {"year": 2021, "referred": 3,
                                          "measure": "Drug court"}, None),
        ("context_indicator", indicator.pk, "create", None,
         {"indicator": "prison_population", "year": 2023, "value": "10250.00",
          "source": "Ministry", "carried_over": False}),
        ("context_indicator", indicator.pk, "update", {"value": "10000.00"},
         {"value": "10250.00"}),
        ("context_indicator", indicator.pk, "confirm", {"carried_over": True},
         {"carried_over": False}),
        ("context_indicator", 9997, "delete", {"indicator": "occupancy_rate", "year": 2020,
                                               "value": "97.50"}, None),
        ("action", ACTION, "create", None, decision),
        ("action", ACTION, "decide", decision, decision | {"decision": "accepted",
                                                          "title": "Identify barriers"}),
        ("action", ACTION, "progress", {"owner": "Ministry", "due_date": "2026-12-31",
                                        "status": "not_started"},
         {"owner": "Ministry", "due_date": "2027-06-30", "status": "in_progress"}),
        ("review", review.slug, "create", None,
         {"instrument": "acs-diagnostic 1.0", "carried_from": "XA-2024"}),
        ("review", review.slug, "status", {"status": "draft"},
         {"status": "consultation", "note": "Ready for the stakeholders"}),
        ("membership", "new.person@example.org", "invite", None,
         {"role": "contributor", "jurisdiction": "XA"}),
        ("consultation", consultation.public_id, "create", None,
         {"title": "Spring round", "languages": ["en", "fr"], "closes_at": None,
          "max_responses": None, "threshold": 5, "groups": ["police", "judges"]}),
        ("consultation", consultation.pk, "import", None,
         {"file": "police.csv", "source": "field", "imported": 3, "skipped": 0}),
        ("consultation", consultation.public_id, "purge", None,
         {"via": "web", "responses": 25, "answers": 50}),
        ("consultation_link", link.pk, "close", {"is_open": True},
         {"is_open": False, "group": "police", "consultation": str(consultation.public_id)}),
        ("consultation_link", link.pk, "reopen", {"is_open": False},
         {"is_open": True, "group": "police", "consultation": str(consultation.public_id)}),
        ("jurisdiction", "XC", "create", None, {"code": "XC", "name": "Fictional XC",
                                                "parent": None}),
        ("api_token", 7, "create", None, {"user": user.email, "prefix": "acs_ab12",
                                          "name": "Laptop"}),
        ("api_token", 7, "revoke", {"revoked_at": None},
         {"user": user.email, "prefix": "acs_ab12", "revoked_at": "2026-03-01T10:15:00+00:00"}),
    ]
    for object_type, object_id, action, before, after in events:
        record(user, review, object_type, object_id, action, before, after)
    return events


def pairs_written_by_the_code():
    """(object_type, action) of every record(...) call whose words are written out."""
    def strings(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return strings(node.body) | strings(node.orelse)
        return set()

    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record"
                    and len(node.args) >= 5):
                found |= {(t, a) for t in strings(node.args[2]) for a in strings(node.args[4])}
    return found


def test_every_kind_of_event_the_code_writes_has_a_sentence(cast):
    written = pairs_written_by_the_code()
    assert ("answer", "update") in written and ("consultation", "purge") in written
    assert written <= set(SENTENCES), written - set(SENTENCES)
    # the two written through a variable (the inventory's tables) are in the samples
    assert {(t, a) for t, _i, a, _b, _f in every_kind_of_event(cast)} == set(SENTENCES)


def test_no_event_reads_as_code(cast, as_user):
    events = every_kind_of_event(cast)
    response = as_user(cast.xa_lead).get(history_url(cast.xa_review))
    assert response.status_code == 200
    table = table_of(response)
    assert str(OTHER) not in table
    for object_type, object_id, _action, _before, _after in events:
        assert f"{object_type} {object_id}" not in table
    assert " · " not in table
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", table)  # level_id, carried_over, dont_know
    assert not re.findall(r"\d[.,]\d{3,}", table)  # 2.7764123456
    assert not re.findall(r"[{}\[\]]|\bNone\b|\bTrue\b|\bFalse\b", table)


def test_sentences_name_things_as_the_pages_do(cast, as_user):
    every_kind_of_event(cast)
    table = table_of(as_user(cast.xa_lead).get(history_url(cast.xa_review)))
    for sentence in [
        "Answer to question SYS-REG-01 “Is there legislation in place which facilitates",
        "Decision on “Identify and address existing barriers to ACS use (System level)”: "
        "Accepted with edits",
        "Progress of action “Identify and address existing barriers to ACS use (System level)”"
        " updated",
        "Figures of measure “Drug court” for 2024 added",
        "Figures of measure “Drug court” for 2024 changed",  # its year found in the database
        "Context indicator “Prison population” for 2023 changed",
        "Status changed from Draft to Consultation",
        "new.person@example.org invited to work on Fictional XA (XA) as Contributor",
        "Survey link for Police closed (consultation “Spring round”)",
        "Raw responses of consultation “Spring round” purged",
        "Decision on the stakeholders' view of question SYS-REG-02",
    ]:
        assert sentence in table
    assert "Weight when decided 2.78 " in table
    assert "Barriers when decided 3 barriers: SYS-REG-01 (severity 2), SYS-REG-02 " \
           "(stakeholders' view only), SYS-REG-03 (severity 1)" in table
    assert "Severity override 2: a barrier" in table  # what the number means
    assert "Answer Yes" in table and "Answer No" in table
    assert "Type Treatment" in table and "Stakeholder groups Police, Judges" in table
    assert "Sources 1 reference: Penal code (2019)" in table
    assert "Due date 2027-06-30" in table and "Status In progress" in table


def test_times_are_said_to_be_utc_and_machine_readable(cast, as_user):
    every_kind_of_event(cast)
    AuditEvent.objects.update(at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    html = as_user(cast.xa_lead).get(history_url(cast.xa_review)).content.decode()
    assert re.search(r'<th scope="col">When \(UTC\)</th>', html)
    assert '<time datetime="2026-03-01T09:30:00+00:00">2026-03-01 09:30</time>' in html
    assert '<caption id="history-caption">' in html


def test_an_event_about_something_since_gone_still_reads(cast, as_user):
    user, review = cast.xa_lead, cast.xa_review
    record(user, review, "answer", "SYS-GONE-99", "update", {"answer": "yes"},
           {"answer": "maybe_later"})
    record(user, review, "measure_stat", 4242, "update", {"referred": 1}, {"referred": 2})
    record(user, review, "measure", 4343, "update", {"notes": "a"}, {"notes": "b"})
    record(user, review, "action", "nowhere:nothing", "progress", {"status": "done"},
           {"status": "dropped"})
    record(user, review, "consultation_link", 4444, "close", {"is_open": True},
           {"is_open": False, "group": "astronauts", "consultation": "no-such-id"})
    record(user, review, "widget", "w-1", "explode", {"x": 1}, {"x": 2})
    response = as_user(user).get(history_url(review))
    assert response.status_code == 200
    table = table_of(response)
    assert "Answer to item SYS-GONE-99 (no longer in the instrument) changed" in table
    assert "Answer maybe_later" in table  # an unknown value is shown as it is, not lost
    assert "Figures of measure (since deleted) for a year no longer recorded changed" in table
    assert "Measure (since deleted) changed" in table
    assert "Progress of action a recommendation no longer in the plan updated" in table
    assert "Survey link for astronauts closed (consultation (since deleted))" in table
    assert "Another change to this review" in table


def test_the_page_is_in_french_for_a_french_reader(cast, as_user):
    every_kind_of_event(cast)
    client = as_user(cast.xa_lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(history_url(cast.xa_review))
    html = response.content.decode()
    assert '<html lang="fr">' in html
    table = table_of(response)
    assert "Quand (UTC)" in text_of(html) and "Historique" in text_of(html)
    french = localized_instrument_of(cast.xa_review, "fr")
    question = next(q for q in french.levels[0].domains[0].questions if q.id == "SYS-REG-01")
    assert question.text[:30] in table  # the question in the French instrument's words
    assert "Niveau du système" in table  # a level, as the French instrument calls it
    assert "Réponse Oui" in table and "Réponse Non" in table
    assert "Poids au moment de la décision 2,78" in table  # French label, decimal comma
    assert "Statut Brouillon" in table
    assert "Police" in table and "Juges" in table
    with translation.override("fr"):
        expected = str(SENTENCES[("review", "status")]) % {"from": "Brouillon",
                                                           "to": "Consultation"}
    assert expected in table  # the sentences are made in the reader's language


def test_describe_reads_events_outside_a_review_page_too(cast):
    every_kind_of_event(cast)
    instrument = instrument_of(cast.xa_review)
    entries = describe(AuditEvent.objects.all(), cast.xa_review, instrument)
    whats = {e.event.object_type + " " + e.event.action: e.what for e in entries}
    assert whats["jurisdiction create"] == "Jurisdiction XC added"  # not (or no longer) here
    assert whats["api_token create"] == "API token “Laptop” created"
    revoke = next(e for e in entries if e.event.action == "revoke")
    assert [(c.label, c.value) for c in revoke.after if c.key == "revoked_at"] == [
        ("Revoked", "2026-03-01 10:15 UTC")]


def words_of(module) -> set[str]:
    """The msgids a module passes to gettext, gettext_lazy or ngettext (``_`` is gettext)."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT
            and node.args and isinstance(node.args[0], ast.Constant)}


GETTEXT = {"_", "gettext_lazy", "ngettext"}


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_every_word_of_the_history_is_translated(lang):
    translated = {msgid for msgid, forms in catalogue_entries(
        LOCALE / lang / "LC_MESSAGES" / "django.po") if forms and all(forms)}
    msgids = words_of(history) | words_of(history_values)
    assert len(msgids) > 40
    assert not msgids - translated, sorted(msgids - translated)
