from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .review import Review


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    EDITED = "edited", _("Accepted with edits")
    REJECTED = "rejected", _("Rejected")


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItem(models.Model):
    """The lead's decision on one recommendation of the action plan, and its follow-up.

    ``key`` is the recommendation's "<level>:<area>" (stable across rounds). ``barriers``
    keeps the severity of each barrier behind it when the decision was taken, so that the
    next round can show what happened to them (docs/methodology.md, "Action plan").
    ``version`` grows with every save: a save naming an older one is refused as a conflict.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    key = models.CharField(_("recommendation"), max_length=80)
    level_id = models.CharField(_("level"), max_length=40)
    area_id = models.CharField(_("area for action"), max_length=40)
    rank = models.PositiveSmallIntegerField(_("rank when decided"))
    weight = models.FloatField(_("weight when decided"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    justification = models.TextField(_("reason"), blank=True,
                                     help_text=_("Why the recommendation was edited or rejected."))
    owner = models.CharField(_("owner"), max_length=200, blank=True,
                             help_text=_("An organisation or a role, e.g. 'Ministry of Justice'."))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Progress.choices,
                              default=Progress.NOT_STARTED)
    barriers = models.JSONField(_("barriers when decided"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["review", "rank", "key"]
        constraints = [models.UniqueConstraint(fields=["review", "key"],
                                               name="one_decision_per_recommendation")]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return f"{self.review.slug} {self.key}"

    @property
    def agreed(self) -> bool:
        """Accepted, with or without edits: part of the plan."""
        return self.decision in {Decision.ACCEPTED, Decision.EDITED}
