"""Reviews: the list, a new review, its overview, its status, its history, its members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acsreview.core.profile import barrier_profile
from acsreview.web.accounts.models import User
from acsreview.web.instruments import app_library

from ..access import MANAGE, READ, can_edit, can_manage, role_in, visible_reviews
from ..forms import InviteForm, NewReviewForm
from ..models import Jurisdiction, Membership, Role, Status
from ..models.enums import TRANSITIONS
from ..services.audit import record
from ..services.history import describe
from ..services.workflow import TransitionRefused, change_status, start_review
from .common import all_item_ids, domain_progress, instrument_for, review_view


@login_required
def review_list(request):
    reviews = list(visible_reviews(request.user).order_by("jurisdiction__code", "-round"))
    titles = {}
    for r in reviews:  # the instrument by its title, in the reader's language
        key = (r.instrument_id, r.instrument_version)
        if key not in titles:
            try:
                titles[key] = instrument_for(request, r).title
            except LookupError:  # not installed here (a restored backup): its id then
                titles[key] = r.instrument_id
        r.instrument_title = titles[key]
    return render(request, "reviews/list.html", {
        "reviews": reviews,
        "can_start": request.user.is_coordinator or Membership.objects.filter(
            user=request.user, role=Role.LEAD).exists(),
    })


def _lead_jurisdictions(user):
    if user.is_coordinator:
        return Jurisdiction.objects.all()
    return Jurisdiction.objects.filter(memberships__user=user, memberships__role=Role.LEAD)


@login_required
def review_new(request):
    jurisdictions = _lead_jurisdictions(request.user)
    if not jurisdictions.exists():
        return render(request, "403.html", status=403)
    library = app_library()
    instruments = [(f"{i.id}@{i.version}", f"{i.title} {i.version}")
                   for i in reversed(library.instruments())]
    reviews = visible_reviews(request.user).filter(jurisdiction__in=jurisdictions)
    form = NewReviewForm(request.POST or None, jurisdictions=jurisdictions,
                         instruments=instruments, reviews=reviews)
    if request.method == "POST" and form.is_valid():
        inst_id, version = form.cleaned_data["instrument"].split("@", 1)
        inst = library.get(inst_id, version)
        review = start_review(form.cleaned_data["jurisdiction"], form.cleaned_data["round"],
                              inst_id, version, request.user,
                              carry_from=form.cleaned_data["carry_from"],
                              item_ids=all_item_ids(inst))
        messages.success(request, _("Review %(slug)s started.") % {"slug": review.slug})
        return redirect("reviews:detail", slug=review.slug)
    return render(request, "reviews/new.html", {"form": form})


@review_view(READ)
def review_detail(request, review, role):
    instrument = instrument_for(request, review)
    answers = {a.item_id: a for a in review.answers.all()}
    progress = domain_progress(instrument, answers)
    profile = barrier_profile(instrument, answers)
    by_domain = {i.id: i for i in profile.domains}
    for row in progress:
        row["profile"] = by_domain[row["domain"].id]
    return render(request, "reviews/detail.html", {
        "review": review, "role": role, "instrument": instrument, "progress": progress,
        "answered": sum(p["answered"] for p in progress),
        "total": sum(p["total"] for p in progress),
        "carried": sum(p["carried"] for p in progress),
        "can_edit": can_edit(role, review), "can_manage": can_manage(role),
        "transitions": TRANSITIONS[Status(review.status)] if can_manage(role) else [],
        "status_changes": review.status_changes.select_related("by"),
        "measure_count": review.measures.count(),
        "profile": profile,
        "levels": list(zip(instrument.levels, profile.levels, strict=True)),
    })


@require_POST
@review_view(MANAGE)
def review_status(request, review, role):
    try:
        to = Status(request.POST.get("to", ""))
        change_status(review, to, request.user, note=request.POST.get("note", "")[:2000])
    except ValueError:
        messages.error(request, _("Unknown status."))
    except TransitionRefused:
        messages.error(request, _("That change of status is not allowed from here."))
    else:
        messages.success(request, _("Status changed to %(status)s.") % {"status": to.label})
    return redirect("reviews:detail", slug=review.slug)


@review_view(READ)
def review_history(request, review, role):
    events = review.audit_events.select_related("user")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    entries = describe(page.object_list, review, instrument_for(request, review))
    return render(request, "reviews/history.html", {"review": review, "role": role,
                                                    "page": page, "entries": entries})


@review_view(MANAGE)
def review_members(request, review, role):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        with transaction.atomic():
            user, created = User.objects.get_or_create(email=email)
            if created:
                user.set_unusable_password()
                user.save()
            existing = role_in(user, review.jurisdiction)
            if existing in {Role.COORDINATOR, Role.LEAD}:
                messages.info(request, _("%(email)s already leads this jurisdiction.")
                              % {"email": email})
                return redirect("reviews:members", slug=review.slug)
            if existing == form.cleaned_data["role"]:
                messages.info(request, _("%(email)s already works on %(name)s as %(role)s: "
                                         "nothing changed.") % {
                    "email": email, "name": review.jurisdiction.name,
                    "role": Role(existing).label})
                return redirect("reviews:members", slug=review.slug)
            Membership.objects.update_or_create(
                user=user, jurisdiction=review.jurisdiction,
                defaults={"role": form.cleaned_data["role"]})
            record(request.user, review, "membership", email, "invite", None,
                   {"role": form.cleaned_data["role"],
                    "jurisdiction": review.jurisdiction.code})
        messages.success(request, _("%(email)s can now work on %(code)s.")
                         % {"email": email, "code": review.jurisdiction.name})
        # Only for an account this invitation created: a link for an existing account would
        # let one jurisdiction's lead take over another's account that awaits its password.
        if created:
            link = request.build_absolute_uri(reverse("password_reset_confirm", kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user)}))
            messages.info(request, _("Send them this link to choose a password (valid for "
                                     "three days): %(link)s") % {"link": link})
        return redirect("reviews:members", slug=review.slug)
    members = Membership.objects.filter(
        jurisdiction__in=review.jurisdiction.lineage()).select_related("user", "jurisdiction")
    return render(request, "reviews/members.html", {"review": review, "role": role,
                                                    "form": form, "members": members})
