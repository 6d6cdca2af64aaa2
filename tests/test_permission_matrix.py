"""Who may use which address: every (persona x view or endpoint x own or other jurisdiction).

The addresses come from the URL configuration itself (:func:`endpoints` walks
``get_resolver()``), so a view or API operation added without a line in :data:`RULES`
fails here ("new endpoint without a rule"), and a rule left behind by a removed address
fails too. Each address is then tried as every persona of the cast (tests/factories.py)
and as an anonymous visitor, on the review of XA and on the review of XB when the address
belongs to a review:

- allowed: never 401/403/404, a sign-in page or a server error; a review's page answers
  200 (or redirects within the review), a bare write may be refused as invalid (422...);
  a list shows the reviews the person has a role in and none of the others;
- anonymous: sent to sign in (302 to the login page; 401 on the API);
- no role in the review: 404, as if it did not exist, with none of its data in the page;
- a role that does not allow it: 403;
- a refused write changes nothing in the database.

A hole found here is a failure of the view at fault: fix the view, never the rule.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from acsreview.web.consultations.models import Consultation, Link
from acsreview.web.reviews.models import ActionItem, Measure, MeasureStat
from acsreview.web.reviews.services.audit import record

from .api_client import token_for

pytestmark = pytest.mark.django_db


class Access(enum.Enum):
    PUBLIC = "anyone, signed in or not"
    SIGNED_IN = "anyone signed in (on the API: any valid token)"
    VISIBLE = "anyone signed in, shown only the jurisdictions they have a role in"
    ANY_LEAD = "a lead of some jurisdiction, or a coordinator"
    COORDINATOR = "coordinators only (403 for the others; 404 without a role in the review)"
    STAFF = "staff only: the administration site sends the others to its sign-in page"
    NOBODY = "nobody: refused or not found, whoever asks"
    READ = "a role in the review's jurisdiction (or a coordinator)"
    EDIT = "lead, contributor or coordinator of the review's jurisdiction"
    MANAGE = "lead or coordinator of the review's jurisdiction"


PUBLIC, SIGNED_IN, VISIBLE, ANY_LEAD = (Access.PUBLIC, Access.SIGNED_IN, Access.VISIBLE,
                                         Access.ANY_LEAD)
COORDINATOR, STAFF, NOBODY = Access.COORDINATOR, Access.STAFF, Access.NOBODY
READ, EDIT, MANAGE = Access.READ, Access.EDIT, Access.MANAGE

# URL name -> {request -> who may}. A request is a method, optionally with a form body
# ("POST form=progress"); API writes send an empty JSON object. Addresses without a name
# (the administration site's redirects and catch-all) are keyed "unnamed:<route>".
RULES: dict[str, dict[str, Access]] = {
    # public pages, signing in and out
    "home": {"GET": PUBLIC},
    "instrument": {"GET": PUBLIC},
    "instrument_questionnaire": {"GET": SIGNED_IN},
    "healthz": {"GET": PUBLIC},
    "login": {"GET": PUBLIC},
    "logout": {"POST": PUBLIC},
    "password_reset_confirm": {"GET": PUBLIC},
    "set_language": {"POST": PUBLIC},
    # the respondents' anonymous survey: public by design (the link is the key)
    "survey:start": {"GET": PUBLIC},
    "survey:page": {"GET": PUBLIC},
    "survey:review": {"GET": PUBLIC},
    "survey:submit": {"POST": PUBLIC},
    # the workspace, across reviews
    "reviews:list": {"GET": VISIBLE},
    "reviews:new": {"GET": ANY_LEAD, "POST": ANY_LEAD},
    "reviews:jurisdictions": {"GET": COORDINATOR, "POST": COORDINATOR},
    "reviews:compare": {"GET": COORDINATOR},
    "reviews:compare_report": {"GET": COORDINATOR},
    "reviews:export_all": {"GET": VISIBLE},
    # one review
    "reviews:detail": {"GET": READ},
    "reviews:status": {"POST": MANAGE},
    "reviews:export": {"GET": READ},
    "reviews:history": {"GET": READ},
    "reviews:members": {"GET": MANAGE, "POST": MANAGE},
    "reviews:diagnostic": {"GET": READ},
    "reviews:domain": {"GET": READ},
    "reviews:save_answer": {"POST": EDIT},
    "reviews:domain_item": {"GET": READ},
    "reviews:principles": {"GET": READ},
    "reviews:correspondents": {"GET": READ},
    "reviews:inventory": {"GET": READ},
    "reviews:utilisation": {"GET": READ},
    "reviews:measure_new": {"GET": EDIT, "POST": EDIT},
    "reviews:measure_edit": {"GET": READ, "POST": EDIT},
    "reviews:measure_stats": {"GET": READ, "POST": EDIT},
    "reviews:measure_confirm": {"POST": EDIT},
    "reviews:measure_delete": {"GET": EDIT, "POST": EDIT},
    "reviews:indicators": {"GET": READ, "POST": EDIT},
    "reviews:indicator_confirm": {"POST": EDIT},
    "reviews:inventory_import": {"GET": EDIT, "POST": EDIT},
    "reviews:inventory_template": {"GET": READ},
    "reviews:analysis": {"GET": READ},
    "reviews:analysis_domain": {"GET": READ},
    "reviews:trends": {"GET": READ},
    "reviews:plan": {"GET": READ},
    # deciding on a recommendation is the lead's; following an agreed action, any editor's
    # (a GET, e.g. reloading a refused save, leads back to the recommendation on the plan)
    "reviews:decide": {"GET": READ, "POST": MANAGE, "POST form=progress": EDIT},
    "reviews:report": {"GET": READ},
    "reviews:report_pdf": {"GET": READ},
    # its consultation
    "consultations:list": {"GET": READ},
    "consultations:new": {"GET": MANAGE, "POST": MANAGE},
    "consultations:qr": {"GET": READ},
    "consultations:link_toggle": {"POST": MANAGE},
    "consultations:field_form": {"GET": READ},
    "consultations:field_import": {"GET": EDIT, "POST": EDIT},
    "consultations:results": {"GET": READ},
    "consultations:adopt": {"POST": MANAGE},
    # deleting a closed consultation's raw responses: coordinators only
    "consultations:purge": {"GET": COORDINATOR, "POST": COORDINATOR},
    # the REST API (docs/api.md): a token, then the same roles as the pages
    "api:openapi-json": {"GET": PUBLIC},
    "api:api-root": {"GET": NOBODY},  # no documentation page is served
    "api:not_found": {"GET": NOBODY},
    "api:jurisdictions": {"GET": VISIBLE},
    "api:reviews": {"GET": VISIBLE},
    "api:review_detail": {"GET": READ},
    "api:answers": {"GET": READ},
    "api:save_answer": {"PUT": EDIT},
    "api:measures": {"GET": READ},
    "api:indicators": {"GET": READ},
    "api:consultation_results": {"GET": READ},
    "api:analysis": {"GET": READ},
    "api:plan": {"GET": READ},
    "api:decide_recommendation": {"POST": MANAGE},  # as on the page (reviews:decide)
    "api:action_progress": {"POST": EDIT},
    # the administration site, for staff (the coordinators); its models below
    "admin:index": {"GET": STAFF},
    "admin:login": {"GET": PUBLIC},
    "admin:logout": {"POST": PUBLIC},  # signing out is anyone's
    "admin:password_change": {"GET": STAFF, "POST": STAFF},
    "admin:password_change_done": {"GET": STAFF},
    "admin:autocomplete": {"GET": STAFF},
    "admin:jsi18n": {"GET": STAFF},
    "admin:app_list": {"GET": STAFF},
    "admin:view_on_site": {"GET": NOBODY},  # no model has a page of its own on the site
    "admin:auth_user_password_change": {"GET": STAFF, "POST": STAFF},
    "unnamed:admin/(?P<url>.*)$": {"GET": NOBODY},  # the catch-all: 404, even for staff
}

# The models of the administration site: (app label, model) -> what staff may do there.
FULL, NO_ADD, READ_ONLY = "full", "no add", "read-only"
ADMIN_MODELS = {
    ("auth", "group"): FULL,
    ("accounts", "user"): FULL,
    ("accounts", "apitoken"): NO_ADD,  # a token is shown once, so it is made by the CLI
    ("reviews", "jurisdiction"): FULL,
    ("reviews", "membership"): FULL,
    ("reviews", "review"): FULL,
    ("reviews", "auditevent"): READ_ONLY,  # the audit trail is never edited
    ("reviews", "actionitem"): READ_ONLY,  # decided on the action plan page
    ("axes", "accessattempt"): NO_ADD,
    ("axes", "accesslog"): NO_ADD,
    ("axes", "accessfailurelog"): NO_ADD,
}


def _admin_rules() -> dict[str, dict[str, Access]]:
    rules = {}
    for (app, model), kind in ADMIN_MODELS.items():
        change = STAFF if kind != READ_ONLY else NOBODY
        add = STAFF if kind == FULL else NOBODY
        delete = NOBODY if kind == READ_ONLY else STAFF
        rules |= {
            f"admin:{app}_{model}_changelist": {"GET": STAFF, "POST": STAFF},
            f"admin:{app}_{model}_add": {"GET": add, "POST": add},
            f"admin:{app}_{model}_history": {"GET": STAFF},
            f"admin:{app}_{model}_delete": {"GET": delete, "POST": delete},
            f"admin:{app}_{model}_change": {"GET": STAFF, "POST": change},
            f"unnamed:admin/{app}/{model}/<path:object_id>/": {"GET": STAFF},
        }
    return rules


RULES |= _admin_rules()

# Addresses whose arguments cannot be built here: (name -> why). Keep it short.
SKIP: dict[str, str] = {}

# How the cast stands: persona -> {jurisdiction of the review: role}.
ROLES = {
    "anonymous": {},
    "coordinator": {"XA": "coordinator", "XB": "coordinator"},
    "xa_lead": {"XA": "lead"},
    "xa_contributor": {"XA": "contributor"},
    "xb_viewer": {"XB": "viewer"},
    "outsider": {},
}
PERSONAS = list(ROLES)
REVIEW_ROLES = {READ: {"coordinator", "lead", "contributor", "viewer"},
                EDIT: {"coordinator", "lead", "contributor"},
                MANAGE: {"coordinator", "lead"}}
LEADS = {"coordinator", "xa_lead"}

QUERY = {
    "instrument_questionnaire": {"group": "police", "lang": "en"},
    "admin:autocomplete": {"app_label": "reviews", "model_name": "membership",
                           "field_name": "user", "term": "a"},
}
PATHS = {  # patterns that reverse() cannot build
    "api:not_found": "/api/nothing-here",
    "unnamed:admin/(?P<url>.*)$": "/admin/nothing-here/",
}


# -- the URL configuration ------------------------------------------------------------

@dataclass(frozen=True)
class Endpoint:
    key: str
    name: str | None
    route: str
    params: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.key.startswith("api:")

    @property
    def is_admin(self) -> bool:
        return self.key.startswith(("admin:", "unnamed:admin/"))

    @property
    def of_review(self) -> bool:
        return "slug" in self.params


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def endpoints() -> dict[str, Endpoint]:
    """Every URL pattern, by namespaced name (or ``unnamed:<route>``)."""
    found: dict[str, Endpoint] = {}

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, route, ns)
                continue
            name = (f"{namespace}:{pattern.name}" if namespace and pattern.name
                    else pattern.name)
            key = name or f"unnamed:{route}"
            while key in found:  # a name used twice needs a rule of its own
                key += " (again)"
            params = tuple(a or b for a, b in PARAM.findall(route))
            found[key] = Endpoint(key, name, route, params)

    walk(get_resolver(), "", None)
    return found


ENDPOINTS = endpoints()


def test_every_endpoint_has_a_rule():
    missing = sorted(set(ENDPOINTS) - set(RULES))
    assert not missing, "new endpoint without a rule: " + ", ".join(
        f"{k} (/{ENDPOINTS[k].route})" for k in missing)


def test_every_rule_names_an_endpoint():
    stale = sorted((set(RULES) | set(SKIP)) - set(ENDPOINTS))
    assert not stale, f"rules for addresses the URL configuration no longer has: {stale}"


# -- the world each address is tried in ------------------------------------------------

class World:
    """The cast, one measure, its statistics and a consultation per review, a token per
    person, and an object of every model of the administration site."""

    def __init__(self, cast):
        self.cast = cast
        self.reviews = {"XA": cast.xa_review, "XB": cast.xb_review}
        self.measures, self.consultations, self.links, self.markers = {}, {}, {}, {}
        for code, review in self.reviews.items():
            measure = Measure.objects.create(
                review=review, name=f"Diversion scheme only {code} may see",
                measure_type="treatment", stage="police_arrest", carried_over=True)
            MeasureStat.objects.create(measure=measure, year=2024, eligible=40, referred=12)
            consultation = Consultation.objects.create(
                review=review, title=f"Consultation only {code} may see", languages=["en"])
            self.measures[code], self.consultations[code] = measure, consultation
            self.links[code] = Link.objects.create(consultation=consultation, group="police")
            # what must never show to someone without a role in the review
            # (not the slug: every page repeats its own address, in the language form)
            self.markers[code] = [review.jurisdiction.name, measure.name, consultation.title]
        self.tokens = {p: token_for(getattr(cast, p)) for p in PERSONAS if p != "anonymous"}
        self.sessions: dict[str, str] = {}  # persona -> session key, signed in once
        self.rows = None  # the database before any cell: each cell's writes are undone
        Group.objects.create(name="Editors")
        record(cast.xa_lead, cast.xa_review, "answer", "SYS-REG-01", "update",
               {"answer": "yes"}, {"answer": "no"})
        ActionItem.objects.create(review=cast.xa_review, key="system:address_barriers",
                                  level_id="system", area_id="address_barriers", rank=1,
                                  weight=2.0, decision="accepted", title="Fix referrals")
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        common = {"user_agent": "test", "ip_address": "127.0.0.1",
                  "username": "someone@example.org", "http_accept": "*/*", "path_info": "/"}
        AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1,
                                     **common)
        AccessLog.objects.create(**common)
        AccessFailureLog.objects.create(**common)

    def value(self, endpoint: Endpoint, param: str, code: str | None):
        review = self.reviews.get(code)
        if param == "pk":
            kept = (self.consultations if "/field/" in endpoint.route else self.measures)
            return kept[code].pk
        if param == "object_id" and endpoint.route.startswith("admin/r/"):
            return self.cast.xa_review.pk
        if param in {"object_id", "id"}:
            app, model = re.match(r"admin/(\w+)/(\w+)/", endpoint.route).groups()
            return apps.get_model(app, model).objects.order_by("pk").first().pk
        values = {
            "slug": review.slug if review else None,
            "fmt": "json", "domain_id": "SYS-REG", "item_id": "SYS-REG-01",
            "key": "system:address_barriers", "group": "police", "page": 1,
            "link_id": self.links[code].pk if code else None,
            "public_id": self.consultations[code].public_id if code else None,
            "token": self.links["XB"].token, "uidb64": "MQ",
            "instrument_id": "acs-diagnostic", "version": "1.0", "app_label": "reviews",
            "content_type_id": ContentType.objects.get_for_model(type(self.cast.xa_review)).pk,
        }
        assert param in values, (
            f"no value for the parameter {param!r} of {endpoint.key}: add one to World.value")
        if endpoint.key == "password_reset_confirm" and param == "token":
            return "set-password"
        return values[param]

    def path(self, endpoint: Endpoint, code: str | None) -> str:
        if endpoint.key in PATHS:
            return PATHS[endpoint.key]
        kwargs = {p: self.value(endpoint, p, code) for p in endpoint.params}
        if endpoint.name:
            return reverse(endpoint.name, kwargs=kwargs)
        return "/" + PARAM.sub(lambda m: str(kwargs[m[1] or m[2]]), endpoint.route)

    def session(self, persona: str) -> str:
        """The persona's session key: signed in once, outside the cells' rollbacks."""
        if persona not in self.sessions:
            client = fresh_client()
            client.force_login(getattr(self.cast, persona),
                               backend="django.contrib.auth.backends.ModelBackend")
            self.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return self.sessions[persona]

    def unseen_markers(self, persona: str) -> list[str]:
        return [m for code, ms in self.markers.items() if code not in ROLES[persona]
                for m in ms]


# -- one cell -------------------------------------------------------------------------

OK, LOGIN, HIDDEN, REFUSED, DENIED = "allowed", "sign in", "404", "403", "refused"


def expected(access: Access, persona: str, code: str | None) -> str:
    if access is PUBLIC:
        return OK
    if access is NOBODY:
        return DENIED
    if persona == "anonymous":
        return LOGIN
    if access in (SIGNED_IN, VISIBLE):
        return OK
    if code is not None and code not in ROLES[persona]:
        return HIDDEN  # a review one may not read is as if it did not exist
    if access is ANY_LEAD:
        return OK if persona in LEADS else REFUSED
    if access is COORDINATOR:
        return OK if persona == "coordinator" else REFUSED
    if access is STAFF:
        return OK if persona == "coordinator" else DENIED
    return OK if ROLES[persona][code] in REVIEW_ROLES[access] else REFUSED


def is_sign_in(response, endpoint: Endpoint) -> bool:
    if endpoint.is_api:
        return response.status_code == 401
    login = "/admin/login/" if endpoint.is_admin else reverse("login")
    return response.status_code == 302 and response["Location"].startswith(login)


def fingerprint() -> list:
    """Every row the application keeps (not sign-in times, not sessions)."""
    rows = []
    models = [Group, *(m for label in ("accounts", "reviews", "consultations")
                       for m in apps.get_app_config(label).get_models())]
    for model in models:
        rows.append([{k: v for k, v in row.items() if k not in {"last_login", "last_used_at"}}
                     for row in model.objects.order_by("pk").values()])
    return rows


_CLIENT = []


def fresh_client() -> Client:
    """One test client for the module, with its cookies cleared: as new, without loading
    the middleware again (WhiteNoise reads every static file when it starts)."""
    if not _CLIENT:
        _CLIENT.append(Client())
    client = _CLIENT[0]
    client.cookies.clear()
    return client


def request(world: World, endpoint: Endpoint, spec: str, persona: str, code: str | None):
    method, _sep, body = spec.partition(" ")
    client = fresh_client()
    headers = {}
    if persona != "anonymous":
        if endpoint.is_api:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[persona]}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    path = world.path(endpoint, code)
    if method == "GET":
        return client.get(path, QUERY.get(endpoint.key, {}), **headers)
    if endpoint.is_api:
        return client.generic(method, path, "{}", content_type="application/json", **headers)
    assert method == "POST", spec
    data = dict(pair.split("=", 1) for pair in body.split("&")) if body else {}
    return client.post(path, data, **headers)


def check(world: World, endpoint: Endpoint, spec: str, persona: str,
          code: str | None) -> str | None:
    """What is wrong with this cell, or None."""
    access = RULES[endpoint.key][spec]
    want = expected(access, persona, code)
    writes = not spec.startswith("GET")
    if persona != "anonymous" and not endpoint.is_api:
        world.session(persona)
    refused_write = writes and want != OK
    if refused_write and world.rows is None:
        world.rows = fingerprint()
    with transaction.atomic():  # every write is undone before the next cell
        response = request(world, endpoint, spec, persona, code)
        changed = refused_write and fingerprint() != world.rows
        transaction.set_rollback(True)
    status = response.status_code
    cell = f"{endpoint.key} {spec} as {persona}" + (f" on {code}" if code else "")
    body = b"" if getattr(response, "streaming", False) else response.content
    where = f"{cell}: {status} {response.get('Location', '')}".rstrip()
    if status >= 500:
        return f"{where}: server error"
    if want == OK:
        if status in (401, 403, 404) or is_sign_in(response, endpoint):
            return f"{where}: refused, but {access.value} may"
        if status == 302 and "/login/" in response.get("Location", ""):
            return f"{where}: sent to a sign-in page"
        if not writes and access in REVIEW_ROLES and not (
                status == 200 or status == 302 and response["Location"].startswith(
                    reverse("reviews:detail", args=[world.reviews[code].slug]))):
            return f"{where}: expected the page (200, or a redirect within the review)"
        if access is VISIBLE:
            shown = [m for m in world.unseen_markers(persona) if m.encode() in body]
            if shown:
                return f"{where}: shows what {persona} may not see: {shown}"
            missing = [c for c in ROLES[persona] if not any(
                m.encode() in body for m in (world.reviews[c].slug, *world.markers[c]))]
            if missing:
                return f"{where}: does not show the reviews of {missing} to {persona}"
        return None
    if want == LOGIN and not is_sign_in(response, endpoint):
        return f"{where}: expected to be sent to sign in"
    if want == HIDDEN and status != 404:
        return f"{where}: expected 404 (no role in the review)"
    if want == REFUSED and status != 403:
        return f"{where}: expected 403 ({access.value})"
    if want == DENIED and not (status in (401, 403, 404, 405)
                               or is_sign_in(response, endpoint)):
        return f"{where}: expected a refusal ({access.value})"
    shown = [m for m in world.unseen_markers(persona) if m.encode() in body]
    if shown:
        return f"{where}: refused, but the answer shows {shown}"
    if changed:
        return f"{where}: refused, but the database changed"
    return None


def cells(endpoint: Endpoint):
    for spec in RULES[endpoint.key]:
        for code in ("XA", "XB") if endpoint.of_review else (None,):
            for persona in PERSONAS:
                yield spec, persona, code


# Permissions are checked before a PDF is made: these cells make a stand-in, in
# milliseconds instead of seconds (the PDFs have tests of their own).
PDF_MAKERS = {"reviews:report_pdf": "acsreview.web.reviews.views.report.country_pdf",
              "instrument_questionnaire": "acsreview.web.pages.views.questionnaire_pdf"}


@pytest.mark.parametrize("key", sorted(ENDPOINTS))
def test_every_cell_follows_its_rule(cast, monkeypatch, key):
    endpoint = ENDPOINTS[key]
    assert key in RULES, f"new endpoint without a rule: {key} (/{endpoint.route})"
    if key in SKIP:
        pytest.skip(SKIP[key])
    if key in PDF_MAKERS:
        monkeypatch.setattr(PDF_MAKERS[key], lambda *a, **kw: b"%PDF-1.7 stand-in")
    world = World(cast)
    problems = [check(world, endpoint, spec, persona, code)
                for spec, persona, code in cells(endpoint)]
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)


def test_the_matrix_covers_every_persona_and_both_jurisdictions():
    size = sum(1 for key in RULES if key in ENDPOINTS for _cell in cells(ENDPOINTS[key]))
    of_review = [k for k in RULES if k in ENDPOINTS and ENDPOINTS[k].of_review]
    assert len(of_review) > 45 and size > 1000, (len(of_review), size)
