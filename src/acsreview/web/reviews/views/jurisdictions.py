"""Jurisdictions: countries by ISO 3166 and the regions under them. Coordinators add them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms import JurisdictionForm
from ..models import Jurisdiction
from ..services.audit import record


@login_required
def jurisdiction_list(request):
    if not request.user.is_coordinator:
        raise PermissionDenied
    form = JurisdictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        jurisdiction = form.save()
        record(request.user, None, "jurisdiction", jurisdiction.code, "create", None,
               {"code": jurisdiction.code, "name": jurisdiction.name,
                "parent": jurisdiction.parent.code if jurisdiction.parent else None})
        messages.success(request, _("%(name)s added.") % {"name": jurisdiction})
        return redirect("reviews:jurisdictions")
    return render(request, "reviews/jurisdictions.html", {
        "form": form,
        "jurisdictions": Jurisdiction.objects.select_related("parent").order_by("code"),
    })
