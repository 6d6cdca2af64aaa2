"""Small groups never appear apart: not on the page, not in what the results service returns.

A group of 4 (prison, on the CJS side) under a threshold of 5 must not be recoverable:
not its n, not its distribution, not as the overall figure minus the shown groups, not as
the CJS pool minus the shown CJS groups.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from acsreview.core.consultation import MERGED
from acsreview.web.consultations.models import Consultation, Response, ResponseAnswer
from acsreview.web.consultations.services.results import review_results

pytestmark = pytest.mark.django_db

Q = "SYS-REG-01"  # a facilitator: yes 0, partly 1, no 2
SHOWN = {"police": {"yes": 4, "no": 2}, "judges": {"yes": 5}, "health": {"partly": 3, "no": 4},
         "social": {"yes": 2, "partly": 2, "dont_know": 1}}
SMALL = {"prison": {"no": 4}}  # all "no": its index (100) would stand out in any difference


def respond(consultation, group, counts, item=Q):
    values = [a for a, n in counts.items() for _ in range(n)]
    start = consultation.responses.count()
    names = [f"{group}-{item}-{start + i}" for i in range(len(values))]
    Response.objects.bulk_create([
        Response(consultation=consultation, group=group, instance_id=name,
                 submitted_at=timezone.now()) for name in names])
    ids = dict(consultation.responses.filter(instance_id__in=names)
               .values_list("instance_id", "id"))
    ResponseAnswer.objects.bulk_create([
        ResponseAnswer(response_id=ids[name], item_id=item, answer=value)
        for name, value in zip(names, values, strict=True)])


@pytest.fixture
def consultation(cast):
    c = Consultation.objects.create(review=cast.xa_review, languages=["en"], threshold=5)
    for group, counts in {**SHOWN, **SMALL}.items():
        respond(c, group, counts)
    return c


def page(client, review):
    response = client.get(reverse("consultations:results", args=[review.slug]))
    assert response.status_code == 200
    return response.content.decode()


def article(html, item_id=Q):
    return re.search(rf'<article id="{item_id}">(.*?)</article>', html, re.S).group(1)


def table_rows(block):
    """{row label: [the numbers in its cells]} of a question's table (percentages left out)."""
    rows = {}
    for label, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', block, re.S):
        tds = re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)
        rows[label] = [re.sub(r"<small>.*?</small>", "", td).strip() for td in tds]
    return rows


def published(q):
    return [v for v in [*q.groups, q.overall, q.cjs, q.health] if v is not None]


def test_the_service_never_publishes_the_small_group(cast, consultation):
    results = review_results(cast.xa_review)
    q = results.questions[Q]
    assert q.withheld == ["prison"]
    assert [v.group for v in q.groups] == ["police", "judges", "health", "social"]
    for view in published(q):
        assert "prison" not in view.members
        assert view.n >= results.threshold
    # nothing to subtract: every pool is exactly the sum of the groups shown
    shown = {v.group: v for v in q.groups}
    for pool, members in [(q.overall, list(shown)), (q.cjs, ["police", "judges"]),
                          (q.health, ["health"])]:
        assert pool.n == sum(shown[g].n for g in members)
        for answer, count in pool.distribution.items():
            assert count == sum(shown[g].distribution[answer] for g in members)
    # CJS: police and judges only, severities 9 x 0, 2 x 2 -> 4 / 11 / 2 x 100
    assert q.cjs.members == ("judges", "police")
    assert q.cjs.severity_index == pytest.approx(4 / 11 / 2 * 100)
    assert results.responses.withheld == ["prison"]
    assert results.responses.overall.n == sum(v.n for v in results.responses.groups) == 23


def test_the_page_never_shows_the_small_group(cast, as_user, consultation):
    html = page(as_user(cast.xa_lead), cast.xa_review)
    block = article(html)
    rows = table_rows(block)
    assert rows["Prison"] == ["withheld (fewer than 5 answers)"]
    shown = {k: v for k, v in rows.items() if k not in {"Prison", "All groups shown"}}
    assert set(shown) == {"Police", "Judges", "Health providers", "Social services"}
    # the total row and every column of it add up from the rows shown
    total = rows["All groups shown"]
    for column in range(7):  # n, then the six answers
        assert int(total[column]) == sum(int(r[column]) for r in shown.values())
    assert int(total[0]) == 23  # 27 answers, less the withheld 4
    # the CJS side is that of police and judges: 18, not 40 with prison's four "no"
    assert "CJS index 18 " in block and "CJS index 40" not in block
    # prison is named only where it is withheld, in the question and the responses tables
    assert html.count("Prison</th>") == html.count(
        '<tr class="withheld"><th scope="row">Prison</th>') == 2
    responses = table_rows(html[html.index("Submitted responses"):html.index("</table>")])
    assert responses["Prison"] == ["withheld (fewer than 5 responses)"]
    assert responses["All groups shown"] == ["23"]


def test_a_merged_pool_hides_its_members(cast, as_user, consultation):
    respond(consultation, "ngo", {"yes": 2})  # prison 4 + NGOs 2: a pool of 6
    q = review_results(cast.xa_review).questions[Q]
    merged = next(v for v in q.groups if v.group == MERGED)
    assert merged.members == ("ngo", "prison") and merged.n == 6 and q.withheld == []
    assert q.cjs.members == ("judges", "police")  # never prison, even when pooled
    assert q.overall.n == sum(v.n for v in q.groups)
    html = page(as_user(cast.xa_lead), cast.xa_review)
    rows = table_rows(article(html))
    assert rows["Other groups (merged): Prison, NGOs and others"][0] == "6"
    assert "Prison" not in rows and "NGOs and others" not in rows
    assert "CJS index 18 " in article(html)


def test_the_threshold_is_never_below_three(cast, as_user, consultation):
    with pytest.raises(ValidationError) as error:
        Consultation(review=cast.xa_review, languages=["en"], threshold=2).full_clean()
    assert "threshold" in error.value.message_dict
    respond(consultation, "ngo", {"no": 2}, item="SYS-REG-02")
    respond(consultation, "police", {"yes": 5}, item="SYS-REG-02")
    Consultation.objects.filter(pk=consultation.pk).update(threshold=1)  # past the validation
    results = review_results(cast.xa_review)
    assert results.threshold == 3
    assert results.questions["SYS-REG-02"].withheld == ["ngo"]
    html = page(as_user(cast.xa_lead), cast.xa_review)
    assert table_rows(article(html, "SYS-REG-02"))["NGOs and others"] == [
        "withheld (fewer than 3 answers)"]
    # nothing in the request lowers it
    client = as_user(cast.xa_lead)
    html = client.get(reverse("consultations:results", args=[cast.xa_review.slug]),
                      {"threshold": "1"}).content.decode()
    assert "withheld (fewer than 3 answers)" in article(html, "SYS-REG-02")


def test_with_a_threshold_of_three_the_group_of_four_appears(cast, as_user, consultation):
    consultation.threshold = 3
    consultation.full_clean()
    consultation.save()
    q = review_results(cast.xa_review).questions[Q]
    prison = next(v for v in q.groups if v.group == "prison")
    assert (prison.n, prison.severity_index, q.withheld) == (4, 100, [])
    assert "prison" in q.cjs.members
    rows = table_rows(article(page(as_user(cast.xa_lead), cast.xa_review)))
    assert rows["Prison"][:4] == ["4", "0", "0", "4"]
