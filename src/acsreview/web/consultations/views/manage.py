"""A review's consultations: their links and QR codes, opening one, closing a link,
purging the raw responses of a closed one."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acsreview.web.instruments import app_library, instrument_of
from acsreview.web.reviews.access import EDIT, MANAGE, READ, can_manage
from acsreview.web.reviews.models import Role
from acsreview.web.reviews.services.audit import record, snapshot
from acsreview.web.reviews.views.common import instrument_for, review_view

from ..forms import ConsultationForm, PurgeForm
from ..models import Consultation, FrozenTallies, Link, Response
from ..services import purge

AUDIT_FIELDS = ["title", "languages", "closes_at", "max_responses", "threshold"]


def survey_url(request, link: Link) -> str:
    return request.build_absolute_uri(reverse("survey:start", args=[link.token]))


def _qr(url: str):
    return segno.make(url, error="m")


def _count(n: int, threshold: int) -> dict:
    """A count for the lead: exact from the threshold up, "fewer than N" below it."""
    return {"n": n, "suppressed": 0 < n < threshold}


def _language_name(code: str) -> str:
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return code


@review_view(READ)
def consultation_list(request, review, role):
    instrument = instrument_for(request, review)
    labels = {g.id: g.label for g in instrument.stakeholder_groups}
    order = {g.id: i for i, g in enumerate(instrument.stakeholder_groups)}
    consultations = list(review.consultations.prefetch_related("links"))
    frozen = {f.consultation_id: f for f in FrozenTallies.objects.filter(
        consultation__in=consultations).only("consultation_id", "purged_at", "tallies")}
    counts = {
        (row["consultation_id"], row["group"]): row
        for row in Response.objects.filter(consultation__review=review)
        .values("consultation_id", "group")
        .annotate(submitted=Count("id", filter=Q(submitted_at__isnull=False)),
                  in_progress=Count("id", filter=Q(submitted_at__isnull=True)))
    }
    now = timezone.now()
    manage = can_manage(role) and not review.is_final
    blocks = []
    for c in consultations:
        past = bool(c.closes_at and c.closes_at <= now)
        rows = []
        for link in sorted(c.links.all(), key=lambda lk: order.get(lk.group, len(order))):
            url = survey_url(request, link)
            n = counts.get((c.pk, link.group), {})
            if c.pk in frozen:  # purged: the counts kept, nothing in progress any more
                n = {"submitted": frozen[c.pk].tallies["responses"].get(link.group, 0)}
            submitted = n.get("submitted", 0)
            full = c.max_responses is not None and submitted >= c.max_responses
            rows.append({
                "link": link, "url": url, "label": labels.get(link.group, link.group),
                "submitted": _count(submitted, c.threshold),
                "in_progress": _count(n.get("in_progress", 0), c.threshold),
                "full": full,
                "accepting": link.is_open and not past and not full and not review.is_final,
                "qr": mark_safe(_qr(url).svg_inline(  # noqa: S308 - segno escapes the title
                    scale=3, border=2, dark="#000", light="#fff", svgclass="qr",
                    title=_("QR code of the %(group)s link") % {
                        "group": labels.get(link.group, link.group)})),
            })
        purged = frozen.get(c.pk)
        links_closed = not any(r["link"].is_open for r in rows)
        closed = review.is_final or past or links_closed
        blocks.append({"c": c, "rows": rows, "past": past, "links_closed": links_closed,
                       "languages": [_language_name(code) for code in c.languages],
                       "purged": purged.purged_at if purged else None,
                       "can_purge": role == Role.COORDINATOR and closed and not purged})
    return render(request, "consultations/manage_list.html", {
        "review": review, "role": role, "blocks": blocks, "can_manage": manage,
        "can_open": can_manage(role) and not review.is_final,
        "can_import": role in EDIT and bool(blocks)})


@review_view(MANAGE)
def consultation_new(request, review, role):
    if review.is_final:
        raise PermissionDenied
    instrument = instrument_for(request, review)
    groups = [(g.id, g.label) for g in instrument.stakeholder_groups]
    languages = [(code, _language_name(code))
                 for code in app_library().languages(instrument_of(review))]
    form = ConsultationForm(request.POST or None, groups=groups, languages=languages,
                            initial={"title": _("Stakeholder consultation %(round)s")
                                     % {"round": review.round}})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            consultation = Consultation.objects.create(
                review=review, title=d["title"], languages=d["languages"],
                closes_at=d["closes_at"], max_responses=d["max_responses"],
                threshold=d["threshold"], created_by=request.user)
            Link.objects.bulk_create([Link(consultation=consultation, group=g)
                                      for g in d["groups"]])
            record(request.user, review, "consultation", consultation.public_id, "create", None,
                   snapshot(consultation, AUDIT_FIELDS) | {"groups": d["groups"]})
        messages.success(request, _("Consultation opened: send each group its link."))
        return redirect("consultations:list", slug=review.slug)
    return render(request, "consultations/manage_new.html", {
        "review": review, "role": role, "form": form,
        "default_threshold": settings.ACSREVIEW_SUPPRESSION_THRESHOLD})


def _link_of(review, link_id) -> Link:
    return get_object_or_404(Link.objects.select_related("consultation"), pk=link_id,
                             consultation__review=review)


@review_view(READ)
def link_qr(request, review, role, link_id):
    """The QR code of a link as an SVG file, for printing on invitations and posters."""
    link = _link_of(review, link_id)
    out = io.BytesIO()
    _qr(survey_url(request, link)).save(out, kind="svg", scale=10, border=4, dark="#000",
                                        light="#fff")
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    name = f"consultation-{review.slug}-{link.group}.svg"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@review_view(MANAGE)
def link_toggle(request, review, role, link_id):
    """Close a group's link, or open it again."""
    if review.is_final:
        raise PermissionDenied
    with transaction.atomic():
        link = _link_of(review, link_id)
        if purge.is_purged(link.consultation):
            # Its raw responses are gone: new ones could not join the counts kept.
            raise PermissionDenied
        before = link.is_open
        link.is_open = not before
        link.save(update_fields=["is_open"])
        record(request.user, review, "consultation_link", link.pk,
               "reopen" if link.is_open else "close", {"is_open": before},
               {"is_open": link.is_open, "group": link.group,
                "consultation": str(link.consultation.public_id)})
    if link.is_open:
        messages.success(request, _("The link is open again."))
    else:
        messages.success(request, _("The link is closed: it takes no more answers."))
    return redirect(reverse("consultations:list", args=[review.slug]) + f"#link-{link.pk}")


@review_view({Role.COORDINATOR})
def consultation_purge(request, review, role, public_id):
    """Delete a closed consultation's raw responses for good, after a confirmation.

    Coordinators only. The published figures stay: their counts are kept first.
    """
    consultation = get_object_or_404(review.consultations, public_id=public_id)
    form = PurgeForm(request.POST if request.method == "POST" else None)
    refused = purge.refusal(consultation)
    status = 200
    if request.method == "POST":
        if refused:
            status = 409
        elif form.is_valid():
            try:
                done = purge.purge_responses(consultation, request.user)
            except purge.PurgeRefused as exc:  # purged or reopened meanwhile
                refused, status = str(exc), 409
            else:
                messages.success(request, _(
                    "The raw responses were deleted (%(responses)s responses, %(answers)s "
                    "answers). The published figures are kept.")
                    % {"responses": done.responses, "answers": done.answers})
                return redirect(reverse("consultations:list", args=[review.slug])
                                + f"#consultation-{consultation.pk}")
        else:
            status = 422
    return render(request, "consultations/manage_purge.html", {
        "review": review, "role": role, "consultation": consultation, "form": form,
        "refused": refused, "counts": purge.raw_counts(consultation)}, status=status)
