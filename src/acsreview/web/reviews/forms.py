"""Forms of the review workspace; every error names its field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from .models import Jurisdiction, Review
from .models.actions import Decision, Progress
from .models.diagnostic import AnswerChoice, Confidence

MAX_SOURCES = 5


def with_scheme(url: str) -> str:
    """A web address typed without its scheme ("www.example.org/page") gets https://, as
    a browser's address bar would give it; anything else is left for the validator."""
    if url and "://" not in url and " " not in url and not url.startswith(("/", "mailto:")):
        host = url.split("/", 1)[0]
        if "." in host and not host.startswith(".") and ":" not in host:
            return "https://" + url
    return url


def is_web_address(url: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


class AnswerForm(forms.Form):
    """One answer: the scale (or text for an open item), evidence, sources, confidence."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    answer = forms.ChoiceField(label=_("Answer"), choices=AnswerChoice.choices, required=False,
                               widget=forms.RadioSelect)
    text = forms.CharField(label=_("Answer"), required=False, max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    confidence = forms.ChoiceField(label=_("Confidence"), required=False,
                                   choices=[("", _("Not stated")), *Confidence.choices])
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    severity_override = forms.TypedChoiceField(
        label=_("Severity override"), required=False, coerce=int, empty_value=None,
        choices=[("", _("No override")), ("0", _("0: no barrier")), ("1", _("1: some barrier")),
                 ("2", _("2: a barrier"))])
    override_justification = forms.CharField(label=_("Justification of the override"),
                                             required=False, max_length=5000,
                                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, open_text: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_text = open_text
        for i in range(MAX_SOURCES):
            self.fields[f"source_{i}_title"] = forms.CharField(
                label=_("Source title"), required=False, max_length=500)
            self.fields[f"source_{i}_url"] = forms.CharField(
                label=_("Link"), required=False, max_length=1000)
            self.fields[f"source_{i}_year"] = forms.IntegerField(
                label=_("Year"), required=False, min_value=1900, max_value=2100)

    def clean(self):
        data = super().clean()
        if data.get("severity_override") is not None and not data.get(
                "override_justification", "").strip():
            self.add_error("override_justification",
                           _("Say why the severity is overridden: the report shows both."))
        sources = []
        for i in range(MAX_SOURCES):
            title = (data.get(f"source_{i}_title") or "").strip()
            url = with_scheme((data.get(f"source_{i}_url") or "").strip())
            year = data.get(f"source_{i}_year")
            if url and not is_web_address(url):
                self.add_error(f"source_{i}_url", _("Enter a full web address (https://…)."))
            if (url or year) and not title:
                self.add_error(f"source_{i}_title", _("Give the source a title."))
            if title:
                sources.append({"title": title, "url": url, "year": year})
        data["sources"] = sources
        return data

    def answer_data(self) -> dict:
        d = self.cleaned_data
        data = {k: d.get(k) or "" for k in ("evidence", "confidence", "notes",
                                             "override_justification")}
        data["sources"] = d["sources"]
        data["severity_override"] = d.get("severity_override")
        if self.open_text:
            data["text"] = d.get("text") or ""
            data["answer"] = ""
            data["severity_override"] = None
        else:
            data["answer"] = d.get("answer") or ""
        return data


class NewReviewForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=Jurisdiction.objects,
                                          empty_label=_("Choose a jurisdiction"))
    round = forms.IntegerField(label=_("Round (year)"), min_value=2000, max_value=2100)
    instrument = forms.ChoiceField(label=_("Instrument version"))
    carry_from = forms.ModelChoiceField(
        label=_("Start from a previous round"), required=False, queryset=Review.objects.none(),
        empty_label=_("No: start empty"),
        help_text=_("Its inventory and answers are copied and marked “carried over” until "
                    "someone confirms or changes them."))

    def __init__(self, *args, jurisdictions, instruments, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions
        self.fields["instrument"].choices = instruments
        self.fields["carry_from"].queryset = reviews

    def clean(self):
        data = super().clean()
        jurisdiction, round_ = data.get("jurisdiction"), data.get("round")
        if jurisdiction and round_ and Review.objects.filter(
                jurisdiction=jurisdiction, round=round_).exists():
            self.add_error("round", _("This jurisdiction already has a review for that round."))
        carry = data.get("carry_from")
        if carry and jurisdiction and carry.jurisdiction_id != jurisdiction.pk:
            self.add_error("carry_from", _("Carry over from the same jurisdiction's review."))
        elif carry and round_ and carry.round >= round_:
            self.add_error("carry_from", _("Carry over from an earlier round."))
        return data


class JurisdictionForm(forms.ModelForm):
    class Meta:
        model = Jurisdiction
        fields = ["code", "name", "parent"]

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=[("contributor", _("Contributor")),
                                                      ("viewer", _("Viewer"))])


class ActionForm(forms.Form):
    """A decision on one recommendation of the action plan, or (``progress_only``) the
    owner, due date and status of an agreed action."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices,
                                 widget=forms.RadioSelect)
    title = forms.CharField(label=_("Action"), required=False, max_length=300,
                            help_text=_("Only when you accept with edits: the action in your "
                                        "words."))
    description = forms.CharField(label=_("Description"), required=False, max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    justification = forms.CharField(label=_("Reason"), required=False, max_length=5000,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("Required when you edit or reject the "
                                                "recommendation."))
    owner = forms.CharField(label=_("Owner"), required=False, max_length=200,
                            help_text=_("An organisation or a role, e.g. ‘Ministry of "
                                        "Justice’."))
    due_date = forms.DateField(label=_("Due date"), required=False,
                               widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=Progress.choices,
                               initial=Progress.NOT_STARTED)

    DECISION_ONLY = ("decision", "title", "description", "justification")

    def __init__(self, *args, progress_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.progress_only = progress_only
        if progress_only:
            for name in self.DECISION_ONLY:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == Decision.EDITED and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the edited action a title."))
        if decision in {Decision.EDITED, Decision.REJECTED} and not (
                data.get("justification") or "").strip():
            self.add_error("justification",
                           _("Say why the recommendation is edited or rejected."))
        return data
