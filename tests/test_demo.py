"""The demo data: fictional, deterministic, idempotent, and varied enough to show the tool."""

import re

import pytest

from acsreview.core.instrument import AnswerType, iter_questions
from acsreview.web.accounts.models import User
from acsreview.web.demo import DEMO_EMAIL, DEMO_LEAD_EMAIL, DemoLogin, demo_logins, load_demo
from acsreview.web.demo.content import CORRESPONDENTS, MEASURES
from acsreview.web.reviews.models import (
    Answer,
    AuditEvent,
    ContextIndicator,
    CorrespondentAnswer,
    Jurisdiction,
    Measure,
    MeasureStat,
    Membership,
    Review,
    StatusChange,
)
from acsreview.web.reviews.models.jurisdiction import validate_code

pytestmark = pytest.mark.django_db

MODELS = [Jurisdiction, Membership, Review, Measure, MeasureStat, ContextIndicator, Answer,
          CorrespondentAnswer, StatusChange, AuditEvent, User]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def snapshot():
    """What the demo says, without ids or times: equal for two loads of the same data."""
    return sorted(
        (a.review.slug, a.item_id, a.answer, a.text, a.evidence, str(a.sources), a.confidence,
         a.severity_override, a.carried_over)
        for a in Answer.objects.select_related("review")
    ) + sorted(
        (s.measure.review.slug, s.measure.name, s.year, s.eligible, s.referred, s.started,
         s.completed, s.breached)
        for s in MeasureStat.objects.select_related("measure__review")
    )


@pytest.fixture
def demo():
    return load_demo()


def choice_ids(instrument):
    return {q.id for q in iter_questions(instrument) if q.answer_type == AnswerType.CHOICE}


def test_loading_twice_leaves_one_copy(demo):
    before = counts()
    assert load_demo() == demo
    assert counts() == before
    assert Review.objects.count() == 4


def test_the_reviews_statuses_and_carry_over(demo):
    status = dict(Review.objects.values_list("slug", "status"))
    assert status == {"XA-2024": "final", "XA-2026": "draft", "XB-2026": "consultation",
                      "XC-2026": "draft"}
    xa26 = Review.objects.get(slug="XA-2026")
    assert xa26.carried_from.slug == "XA-2024"
    answers = xa26.answers.all()
    assert answers.filter(carried_over=True).exists()  # still to confirm
    confirmed = answers.filter(carried_over=False)
    assert confirmed.exists()
    old = dict(Answer.objects.filter(review__slug="XA-2024").values_list("item_id", "answer"))
    changed = [a for a in confirmed if a.answer != old[a.item_id]]
    assert changed and len(changed) < confirmed.count()  # some changed, some confirmed as is
    assert xa26.measures.filter(carried_over=True).exists()
    assert xa26.measures.filter(carried_over=False).exists()
    assert xa26.measures.count() == len(MEASURES["XA"]) + 1
    assert xa26.correspondent_answers.filter(carried_over=True).count() == 3
    # the final round's history shows how it got there
    steps = list(StatusChange.objects.filter(review__slug="XA-2024")
                 .values_list("to_status", flat=True))
    assert steps == ["consultation", "validation", "final"]


def test_every_inventory_spans_the_stages_with_three_years_of_figures(demo, instrument):
    stages = {s.id for s in instrument.cjs_stages}
    types = {t.id for t in instrument.measure_types}
    for review in Review.objects.all():
        measures = list(review.measures.all())
        assert 4 <= len(measures) <= 7, review.slug
        assert {m.stage for m in measures} <= stages
        assert len({m.stage for m in measures}) >= 4, review.slug
        assert {m.measure_type for m in measures} <= types
        for m in measures:
            assert m.legal_basis and m.rehabilitative_element and m.delivered_by
            years = set(m.stats.values_list("year", flat=True))
            assert len(years) >= 3, (review.slug, m.name)
        indicators = review.indicators.all()
        assert len({i.year for i in indicators}) >= 3
        assert all("(fictional)" in i.source for i in indicators)


def test_unknown_figures_are_none_never_zero(demo):
    for review in Review.objects.all():
        stats = MeasureStat.objects.filter(measure__review=review)
        values = [v for row in stats.values_list(*MeasureStat.COUNTS) for v in row]
        assert None in values, review.slug  # some cells unknown
        assert 0 not in values, review.slug
        for s in stats:  # and the figures hang together
            if s.referred and s.started:
                assert s.started <= s.referred
            if s.started and s.completed:
                assert s.completed <= s.started


def test_complete_and_partial_diagnostics(demo, instrument):
    choices = choice_ids(instrument)
    open_items = {q.id for q in iter_questions(instrument)} - choices

    def answered(slug, carried=None):
        qs = Answer.objects.filter(review__slug=slug).exclude(answer="")
        if carried is not None:
            qs = qs.filter(carried_over=carried)
        return set(qs.values_list("item_id", flat=True))

    for slug in ["XA-2024", "XB-2026"]:
        assert choices <= answered(slug), slug
        texts = Answer.objects.filter(review__slug=slug, item_id__in=open_items)
        assert texts.count() == len(open_items) and all(a.text for a in texts)
        answers = Answer.objects.filter(review__slug=slug, item_id__in=choices)
        with_evidence = answers.exclude(evidence="").count()
        assert with_evidence > answers.count() / 2
        assert 0 < answers.exclude(sources=[]).count() < answers.count()
        overrides = answers.exclude(severity_override=None)
        assert overrides.count() >= 2
        assert all(a.override_justification for a in overrides)
    assert not choices <= answered("XC-2026")
    assert answered("XC-2026")
    assert not choices <= answered("XA-2026", carried=False)  # partly reviewed this round


def test_principles_are_answered_in_part(demo, instrument):
    principles = {p.id for p in instrument.principles}
    for review in Review.objects.all():
        done = set(review.answers.filter(item_id__in=principles).exclude(answer="")
                   .values_list("item_id", flat=True))
        assert done and done < principles, review.slug


def test_correspondents_answered_with_the_instruments_fields(demo, instrument):
    fields = {q.id: {f.id for f in q.fields} for q in instrument.correspondent_questions}
    for slug in ["XA-2024", "XA-2026", "XB-2026"]:
        stored = CorrespondentAnswer.objects.filter(review__slug=slug)
        assert {c.question_id for c in stored} == set(fields), slug
        for c in stored:
            assert set(c.values) == fields[c.question_id]
    assert not CorrespondentAnswer.objects.filter(review__slug="XC-2026").exists()
    assert set(CORRESPONDENTS) == {"XA-2024", "XB-2026"}


def test_the_jurisdictions_differ(demo, instrument):
    """Xandria is strong on regulation and weak on client access; Bellmark the reverse."""
    from acsreview.core.scoring import severity

    polarity = {q.id: q.polarity for q in iter_questions(instrument)}

    def mean(slug, prefix):
        scores = [severity(a, polarity[i]) for i, a in Answer.objects.filter(
            review__slug=slug, item_id__startswith=prefix).values_list("item_id", "answer")]
        scores = [s for s in scores if s is not None]
        return sum(scores) / len(scores)

    assert mean("XA-2024", "SYS-REG") < mean("XB-2026", "SYS-REG")
    assert mean("XA-2024", "CLI-ACC") > mean("XB-2026", "CLI-ACC")


def test_everything_is_fictional(demo):
    codes = set(Jurisdiction.objects.filter(is_demo=True).values_list("code", flat=True))
    assert {"XA", "XB", "XC", "XA-N"} <= codes
    for j in Jurisdiction.objects.filter(code__in=codes):
        validate_code(j.code)
        assert re.match(r"^X[A-Z](-|$)", j.code)  # ISO 3166 user-assigned: never a country
    assert Jurisdiction.objects.get(code="XA-N").parent.code == "XA"
    assert all(r.jurisdiction.is_demo for r in Review.objects.select_related("jurisdiction"))
    for answer in Answer.objects.exclude(sources=[]):
        for source in answer.sources:
            assert source["url"].split("/")[2].endswith(".example")  # a reserved name
            assert "(fictional)" in source["title"]


def test_the_personas_share_the_demo_password_and_a_reserved_domain(demo):
    assert demo == DemoLogin(DEMO_EMAIL, demo.password)
    logins = demo_logins()
    assert dict(logins)["coordinator"] == DEMO_EMAIL
    assert ("lead", DEMO_LEAD_EMAIL) in logins
    assert {r for r, _e in logins} == {"coordinator", "lead", "contributor", "viewer"}
    for _role, email in logins:
        assert email.endswith("@demo.acsreview.invalid")  # .invalid can never be delivered
        user = User.objects.get(email=email)
        assert user.check_password(demo.password)
    coordinator = User.objects.get(email=DEMO_EMAIL)
    assert coordinator.is_coordinator and coordinator.is_staff
    roles = {(m.user.email, m.jurisdiction.code, m.role)
             for m in Membership.objects.select_related("user", "jurisdiction")}
    assert roles == {(DEMO_LEAD_EMAIL, "XA", "lead"),
                     ("contributor.xa@demo.acsreview.invalid", "XA", "contributor"),
                     ("viewer.xb@demo.acsreview.invalid", "XB", "viewer")}


def test_reset_removes_the_demo_and_loads_it_afresh_leaving_real_data(demo):
    real = User.objects.create_user("someone@example.org", "a long real password")
    pt = Jurisdiction.objects.get(code="PT")
    Membership.objects.create(user=real, jurisdiction=pt, role="lead")
    first = snapshot()
    before = counts()
    # someone edits the demo and adds to it; reset forgets both
    Answer.objects.filter(review__slug="XB-2026", item_id="SYS-REG-01").update(answer="yes")
    Jurisdiction.objects.create(code="XB-E", name="Eastern Bellmark",
                                parent=Jurisdiction.objects.get(code="XB"), is_demo=True)
    User.objects.create_user("extra@demo.acsreview.invalid", "another password 123")
    assert load_demo(reset=True) == demo
    assert counts() == before
    assert snapshot() == first  # deterministic
    assert not Jurisdiction.objects.filter(code="XB-E").exists()
    assert not User.objects.filter(email="extra@demo.acsreview.invalid").exists()
    assert User.objects.filter(email="someone@example.org").exists()
    assert Membership.objects.filter(user=real, jurisdiction=pt).exists()


def test_the_demo_command_prints_both_logins(cli):
    result = cli("demo")
    assert result.exit_code == 0, result.output
    password = re.search(r"Demo login: \S+ / password: (\S+)", result.output).group(1)
    assert f"Demo login (XA review lead): {DEMO_LEAD_EMAIL} / password: {password}" \
        in result.output
    assert Review.objects.count() == 4


def test_xandria_2024_decided_an_action_plan_that_2026_follows_up(demo):
    from acsreview.core.actions import Outcome
    from acsreview.web.demo.content import XA_2024_ACTIONS
    from acsreview.web.reviews.models import ActionItem
    from acsreview.web.reviews.services.actions import earlier_actions, review_plan

    xa24 = Review.objects.get(slug="XA-2024")
    actions = {a.key: a for a in xa24.actions.all()}
    assert set(actions) == set(XA_2024_ACTIONS)
    agreed = [a for a in actions.values() if a.agreed]
    rejected = [a for a in actions.values() if not a.agreed]
    assert len(agreed) == 4 and len(rejected) == 1
    assert all(a.owner.endswith("(fictional)") and a.due_date for a in agreed)
    assert rejected[0].justification and not rejected[0].owner
    assert any(a.decision == "edited" and a.justification for a in agreed)
    # decided on the review's real plan: genuine keys, ranks, weights and barriers
    plan = {r.key: r for r in review_plan(xa24).plan.recommendations}
    for a in actions.values():
        rec = plan[a.key]
        assert (a.rank, a.level_id, a.area_id) == (rec.rank, rec.level_id, rec.area_id)
        assert a.weight == rec.weight
        assert a.barriers == {b.question_id: b.severity for b in rec.barriers}
    # loading again adds nothing
    load_demo()
    assert ActionItem.objects.count() == len(actions)
    # the next round follows the agreed ones up, and client access improved in between
    follow = earlier_actions(Review.objects.get(slug="XA-2026"))
    assert {f.action.key for f in follow} == {a.key for a in agreed}
    assert Outcome.IMPROVED in {f.follow_up.outcome for f in follow}
    assert all(f.follow_up.outcome != Outcome.NOT_KNOWN for f in follow)


def test_the_action_plan_pages_show_the_demo_actions(demo, client):
    client.force_login(User.objects.get(email=DEMO_LEAD_EMAIL),
                       backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/reviews/XA-2026/plan/").content.decode()
    assert "Actions from the previous round" in page
    assert "Ministry of Justice (fictional)" in page and "Improved" in page
    final = client.get("/reviews/XA-2024/plan/").content.decode()
    assert "Accepted with edits" in final and "Rejected" in final
    assert 'method="post" action="/reviews/XA-2024/plan/' not in final
