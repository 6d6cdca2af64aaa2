"""Stakeholder consultation: anonymous, per-group surveys of a review.

Privacy by design: a response holds its group, its answers and when it was given;
never a name, an e-mail, an IP address or a user agent. A respondent resumes on
the same device through a random key in a cookie, of which only a hash is kept.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from acsreview.web.reviews.models import Review

MIN_THRESHOLD = 3  # groups smaller than this are never shown apart, whatever the setting


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits: unguessable


class Consultation(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="consultations")
    # Carried by the exported XLSForms, so that imported submissions find their consultation.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    max_responses = models.PositiveIntegerField(
        _("maximum responses per group"), null=True, blank=True,
        validators=[MinValueValidator(1)])
    threshold = models.PositiveSmallIntegerField(
        _("suppression threshold"), default=5, validators=[MinValueValidator(MIN_THRESHOLD)],
        help_text=_("Groups with fewer responses are never shown apart."))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self):
        return f"{self.review.slug}: {self.title or self.public_id}"


class Link(models.Model):
    """The anonymous link of one stakeholder group: open or closed."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="links")
    group = models.CharField(_("stakeholder group"), max_length=40)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consultation", "group"],
                                               name="one_link_per_group")]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self):
        return f"{self.consultation} · {self.group}"


class Source(models.TextChoices):
    WEB = "web", _("Web survey")
    FIELD = "field", _("Field form (ODK/Kobo)")


class Response(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="responses")
    group = models.CharField(max_length=40)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    # ODK's meta/instanceID for field forms, a random id for web responses: imports are
    # idempotent by it.
    instance_id = models.CharField(max_length=120)
    resume_key_hash = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(max_length=10, default="en")
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consultation", "instance_id"],
                                               name="one_response_per_instance")]
        indexes = [models.Index(fields=["consultation", "group", "submitted_at"])]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return f"{self.consultation} · {self.group} · {self.instance_id}"


class ResponseAnswer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=40)
    # yes, partly, no, dont_know, not_applicable, prefer_not_to_say; or blank for open text
    answer = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item_id"],
                                               name="one_answer_per_response_item")]

    def __str__(self):
        return f"{self.response_id} {self.item_id}"


class FrozenTallies(models.Model):
    """What is left of a consultation whose raw responses were purged: counts only.

    ``tallies`` holds the counts the published figures are made of, as
    ``services.results.raw_tallies`` made them just before the purge:
    ``{"questions": {item id: {group: {answer: count}}}, "responses": {group: count}}``
    (an open-text answer counts under "text"; its text is gone). The figures are
    still made from them by the same suppression, so they stay what they were.
    Its own table, so that a survey request, which reads the consultation's row,
    never loads them.
    """

    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE,
                                        related_name="frozen")
    tallies = models.JSONField()
    purged_at = models.DateTimeField(auto_now_add=True)
    purged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("purged consultation")
        verbose_name_plural = _("purged consultations")

    def __str__(self):
        return f"{self.consultation} (purged {self.purged_at:%Y-%m-%d})"


class Decision(models.TextChoices):
    ADOPT = "adopt", _("Adopt the stakeholders' view")
    OVERRIDE = "override", _("Keep the lead's answer")


class Adoption(models.Model):
    """The lead's decision on a question, seeing the consultation beside their own answer."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="adoptions")
    item_id = models.CharField(max_length=40)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    justification = models.TextField(_("justification"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "item_id"],
                                               name="one_adoption_per_item")]

    def __str__(self):
        return f"{self.review.slug} {self.item_id}: {self.decision}"
