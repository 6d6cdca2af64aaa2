from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .review import Review


class AnswerChoice(models.TextChoices):
    """The lead's answer scale (stakeholders may also "prefer not to say")."""

    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    DONT_KNOW = "dont_know", _("Don't know")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Answer(models.Model):
    """The review's answer to one item of its instrument: a question or a principle.

    ``version`` grows with every save: a save that names an older version is a
    conflict, shown to the person, never a silent overwrite.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(_("item"), max_length=40)
    answer = models.CharField(_("answer"), max_length=20, choices=AnswerChoice.choices,
                              blank=True)
    text = models.TextField(_("answer text"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices,
                                  blank=True)
    notes = models.TextField(_("notes"), blank=True)
    severity_override = models.PositiveSmallIntegerField(
        _("severity override"), null=True, blank=True, validators=[MaxValueValidator(2)])
    override_justification = models.TextField(_("justification of the override"), blank=True)
    carried_over = models.BooleanField(_("carried over"), default=False)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "item_id"],
                                               name="one_answer_per_item")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.review.slug} {self.item_id}"


class CorrespondentAnswer(models.Model):
    """The answers to one of the four questions to Legal & Policy Correspondents."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE,
                               related_name="correspondent_answers")
    question_id = models.CharField(max_length=20)
    values = models.JSONField(default=dict, blank=True)
    carried_over = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "question_id"],
                                               name="one_correspondent_answer")]

    def __str__(self):
        return f"{self.review.slug} {self.question_id}"
