"""Forms of the consultation's management; every error names its field."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import MIN_THRESHOLD

MAX_THRESHOLD = 1000


class ConsultationForm(forms.Form):
    """Open a consultation: which groups, in which languages, until when, how many answers."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Shown to respondents on the first page."))
    groups = forms.MultipleChoiceField(
        label=_("Stakeholder groups"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Each group gets its own anonymous link and sees only its own questions."),
        error_messages={"required": _("Choose at least one stakeholder group.")})
    languages = forms.MultipleChoiceField(
        label=_("Languages"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Respondents choose among these; the first one is the default."),
        error_messages={"required": _("Choose at least one language.")})
    closes_at = forms.DateTimeField(
        label=_("Closes at (UTC)"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Optional: after this moment the links take no more answers."))
    max_responses = forms.IntegerField(
        label=_("Maximum responses per group"), required=False, min_value=1,
        help_text=_("Optional: a group's link closes once this many have submitted."))
    threshold = forms.IntegerField(
        label=_("Suppression threshold"), min_value=MIN_THRESHOLD, max_value=MAX_THRESHOLD,
        help_text=format_lazy(_("Groups with fewer submitted responses are never shown apart "
                                "(at least {min})."), min=MIN_THRESHOLD))

    def __init__(self, *args, groups, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = groups
        self.fields["languages"].choices = languages
        self.fields["threshold"].initial = max(MIN_THRESHOLD,
                                               settings.ACSREVIEW_SUPPRESSION_THRESHOLD)
        self.fields["languages"].initial = [languages[0][0]] if languages else []
        self.fields["groups"].initial = [g for g, _label in groups]

    def clean_closes_at(self):
        value = self.cleaned_data.get("closes_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("Choose a moment in the future."))
        return value

    def clean_groups(self):
        # In the instrument's order, whatever order the browser sent them in.
        chosen = set(self.cleaned_data["groups"])
        return [g for g, _label in self.fields["groups"].choices if g in chosen]

    def clean_languages(self):
        chosen = set(self.cleaned_data["languages"])
        return [code for code, _label in self.fields["languages"].choices if code in chosen]

    def clean(self):
        data = super().clean()
        cap, threshold = data.get("max_responses"), data.get("threshold")
        # A group capped below the threshold would show as "full" while its count is
        # withheld, and so give the count away.
        if cap is not None and threshold is not None and cap < threshold:
            self.add_error("max_responses", _(
                "Allow at least as many responses per group as the suppression threshold "
                "(%(threshold)s).") % {"threshold": threshold})
        return data


class PurgeForm(forms.Form):
    """The coordinator's confirmation that raw responses are to be deleted for good."""

    confirm = forms.BooleanField(
        label=_("I understand that the raw responses are deleted for good: this cannot be "
                "undone."),
        error_messages={"required": _("Tick the box to confirm that the raw responses are "
                                      "to be deleted for good.")})
