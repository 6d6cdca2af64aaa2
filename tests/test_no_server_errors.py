"""A crawl of the demo as each persona: every page a person can reach by following links
answers without a server error, and nobody reaches what their role does not allow."""

import re
from collections import deque

import pytest

from acsreview.web.demo import DEMO_DOMAIN, load_demo

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/[^"#?]*)')
PERSONAS = ["coordinator", "lead.xa", "contributor.xa", "viewer.xb"]


def crawl(client, start="/reviews/", limit=400):
    seen, queue, statuses = set(), deque([start]), {}
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen or path.startswith(("/static/", "/admin/")):
            continue
        seen.add(path)
        response = client.get(path)
        statuses[path] = response.status_code
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for link in LINK.findall(response.content.decode()):
                if link not in seen:
                    queue.append(link)
    return statuses


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_reachable_page_answers_without_a_server_error(client, persona):
    load_demo()
    from acsreview.web.accounts.models import User

    client.force_login(User.objects.get(email=persona + DEMO_DOMAIN),
                       backend="django.contrib.auth.backends.ModelBackend")
    statuses = crawl(client)
    errors = {p: s for p, s in statuses.items() if s >= 500}
    assert not errors
    assert len(statuses) > 40, len(statuses)  # it did crawl the workspace
    if persona == "viewer.xb":
        assert not any(p.startswith("/reviews/XA-") for p in statuses)
