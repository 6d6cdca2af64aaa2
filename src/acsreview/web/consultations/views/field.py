"""Field forms of a review's consultation: the XLSForm of a group for ODK Collect and
KoboToolbox (READ), and importing the submissions they collected (EDIT, not final)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acsreview.web.instruments import app_library, instrument_of
from acsreview.web.reviews.access import EDIT, READ, can_edit
from acsreview.web.reviews.views.common import instrument_for, review_view

from ..models import Consultation
from ..services.field_forms import (
    XLSX,
    FormProblem,
    consultation_groups,
    field_form_bytes,
    form_id,
)
from ..services.field_import import MAX_BYTES, FieldImportFailed, import_field_submissions

SUFFIXES = (".csv", ".xlsx")


@review_view(READ)
def field_form(request, review, role, pk, group):
    """The XLSForm of one consultation and group; ``?lang=fr`` for one language only."""
    consultation = get_object_or_404(Consultation, pk=pk, review=review)
    try:
        data = field_form_bytes(app_library(), instrument_of(review), consultation, group,
                                lang=request.GET.get("lang") or None)
    except FormProblem as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(data, content_type=XLSX)
    name = f"{review.slug}-{form_id(consultation, group)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class FieldImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Submissions exported from ODK Central or KoboToolbox"),
        help_text=gettext_lazy("CSV or XLSX, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv," + XLSX}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_(
                "The file is %(size)s MB: at most %(max)s MB can be uploaded. Export the "
                "submissions in several files, or import it with the command line "
                "(acsreview consultation import).") % {
                "size": f"{upload.size / 1024 / 1024:.1f}",
                "max": MAX_BYTES // (1024 * 1024)})
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError(_(
                "Upload the export as .csv or .xlsx, as ODK Central and KoboToolbox make it."))
        return upload


@review_view(EDIT)
def field_import(request, review, role):
    if not can_edit(role, review):
        raise PermissionDenied
    form = FieldImportForm(request.POST or None, request.FILES or None)
    summary, problems, status = None, [], 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = import_field_submissions(review, upload, name=upload.name,
                                                   user=request.user)
            except FieldImportFailed as exc:
                problems = [str(p) for p in exc.problems]
            else:
                problems = [str(p) for p in summary.rejected]
                if not summary.rejected:
                    status = 200
    instrument = instrument_for(request, review)
    labels = {g.id: g.label for g in instrument.stakeholder_groups}
    consultations = [
        {"consultation": c, "groups": [(g, labels.get(g, g)) for g in consultation_groups(c)]}
        for c in review.consultations.order_by("-created_at", "-pk")]
    return render(request, "consultations/field_import.html", {
        "review": review, "role": role, "form": form, "summary": summary,
        "imported_groups": [(labels.get(g, g), n) for g, n in sorted(summary.groups.items())]
        if summary else [],
        "problems": problems, "rejected_rows": summary.rejected_rows if summary else 0,
        "consultations": consultations, "max_mb": MAX_BYTES // (1024 * 1024)}, status=status)
