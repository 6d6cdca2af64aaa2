from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Status
from .jurisdiction import Jurisdiction


class Review(models.Model):
    """One jurisdiction, one round, bound to the instrument version it is answered against."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                     related_name="reviews", verbose_name=_("jurisdiction"))
    round = models.PositiveSmallIntegerField(
        _("round"), validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year of the review round, e.g. 2026."))
    slug = models.SlugField(_("slug"), max_length=20, unique=True, editable=False)
    instrument_id = models.CharField(_("instrument"), max_length=60, default="acs-diagnostic")
    instrument_version = models.CharField(_("instrument version"), max_length=30)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT)
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="carried_to",
                                     verbose_name=_("previous round"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["jurisdiction__code", "-round"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "round"],
                                               name="one_review_per_round")]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return self.slug

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = f"{self.jurisdiction.code}-{self.round}"
        super().save(*args, **kwargs)

    @property
    def is_final(self) -> bool:
        return self.status == Status.FINAL

    @property
    def is_demo(self) -> bool:
        return self.jurisdiction.is_demo


class StatusChange(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"{self.review.slug}: {self.from_status} -> {self.to_status}"
