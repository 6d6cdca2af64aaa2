"""The inventory's forms: a measure, a measure's figures by year, the context indicators,
and the workbook upload. Blank figures are not known, never 0.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acsreview.core.utilisation import order_problems

from ..models import ContextIndicator, Indicator, Measure, MeasureStat
from ..services.inventory_sheets import MAX_BYTES

MEASURE_FIELDS = ["name", "measure_type", "stage", "legal_basis", "eligible_offences",
                  "eligible_drugs", "eligible_prior_record", "rehabilitative_element",
                  "geographic_scope", "delivered_by", "paid_by", "notes"]
STAT_FIELDS = ["year", *MeasureStat.COUNTS, "source"]
INDICATOR_FIELDS = ["indicator", "year", "value", "source"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MeasureForm(forms.ModelForm):
    """A measure; type and stage are the ids of the review's instrument."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    measure_type = forms.ChoiceField(label=gettext_lazy("Type"))
    stage = forms.ChoiceField(label=gettext_lazy("CJS stage"))

    class Meta:
        model = Measure
        fields = MEASURE_FIELDS
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in (
            "legal_basis", "eligible_offences", "eligible_drugs", "eligible_prior_record",
            "rehabilitative_element", "notes")}
        help_texts = {
            "eligible_prior_record": gettext_lazy(
                "What prior criminal record still allows, or excludes, the measure."),
            "rehabilitative_element": gettext_lazy(
                "The treatment, education or reintegration it involves."),
            "geographic_scope": gettext_lazy("Nationwide, some regions, a pilot city…"),
        }

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        choose = [("", _("Choose…"))]
        self.fields["measure_type"].choices = choose + [
            (t.id, t.label) for t in instrument.measure_types]
        self.fields["stage"].choices = choose + [(s.id, s.label) for s in instrument.cjs_stages]
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Measure.objects.filter(review=self.instance.review, name=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This review already has a measure of that name."))
        return name


class StatForm(forms.ModelForm):
    """One year of a measure's figures. Blank is not known, never 0."""

    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100)

    class Meta:
        model = MeasureStat
        fields = STAT_FIELDS

    def clean(self):
        data = super().clean()
        labels = {f: self.fields[f].label for f in MeasureStat.COUNTS}
        figures = {f: data.get(f) for f in MeasureStat.COUNTS}
        for figure, limit in order_problems(figures):
            if figure not in self.errors:
                self.add_error(figure, _("%(figure)s (%(value)s) cannot be more than %(limit)s "
                                         "(%(limit_value)s).") % {
                    "figure": labels[figure], "value": figures[figure],
                    "limit": labels[limit].lower(), "limit_value": figures[limit]})
        return data


class BaseStatFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            year = form.cleaned_data.get("year")
            if year is None:
                continue
            if year in seen:
                form.add_error("year", _("There is already a row for %(year)s.")
                               % {"year": year})
            seen.add(year)


StatFormSet = forms.modelformset_factory(MeasureStat, form=StatForm, formset=BaseStatFormSet,
                                         extra=3, can_delete=True)


class IndicatorForm(forms.ModelForm):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100)
    value = forms.DecimalField(label=gettext_lazy("Value"), required=False, min_value=0,
                               max_digits=14, decimal_places=2,
                               help_text=gettext_lazy("Blank when not known."))

    class Meta:
        model = ContextIndicator
        fields = INDICATOR_FIELDS

    def clean_value(self):
        value = self.cleaned_data.get("value")
        return None if value is None else value.quantize(Decimal("0.01"))

    def clean(self):
        data = super().clean()
        value = data.get("value")
        if (data.get("indicator") == Indicator.DRUG_PRISONER_SHARE and value is not None
                and value > 100 and "value" not in self.errors):
            self.add_error("value", _("A share of prisoners is at most 100%."))
        return data


class BaseIndicatorFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            key = (form.cleaned_data.get("indicator"), form.cleaned_data.get("year"))
            if None in key:
                continue
            if key in seen:
                form.add_error("year", _("There is already a row for this indicator and year."))
            seen.add(key)


IndicatorFormSet = forms.modelformset_factory(
    ContextIndicator, form=IndicatorForm, formset=BaseIndicatorFormSet,
    extra=len(Indicator.values), can_delete=True)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Inventory workbook (.xlsx)"),
        help_text=gettext_lazy("The inventory template, filled in; at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_(
                "The file is %(size)s MB: at most 5 MB can be uploaded. Split it into "
                "several workbooks.") % {"size": f"{upload.size / 1024 / 1024:.1f}"})
        head = upload.read(4)
        upload.seek(0)
        if not upload.name.lower().endswith(".xlsx") or head != b"PK\x03\x04":
            raise forms.ValidationError(_(
                "This is not an Excel workbook (.xlsx). Download the inventory template, fill "
                "it in and upload it as .xlsx (a .xls, .csv or .ods file will not do)."))
        return upload
