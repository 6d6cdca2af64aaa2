from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .review import Review

YEAR = [MinValueValidator(1990), MaxValueValidator(2100)]


class Measure(models.Model):
    """One alternative to coercive sanctions available in the jurisdiction."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(_("name"), max_length=300)
    # Ids from the review's instrument (measure_types, cjs_stages): checked by the forms.
    measure_type = models.CharField(_("type"), max_length=60)
    stage = models.CharField(_("CJS stage"), max_length=40)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    eligible_offences = models.TextField(_("eligibility: offences"), blank=True)
    eligible_drugs = models.TextField(_("eligibility: drugs"), blank=True)
    eligible_prior_record = models.TextField(_("eligibility: prior record"), blank=True)
    rehabilitative_element = models.TextField(_("rehabilitative element"), blank=True)
    geographic_scope = models.CharField(_("geographic scope"), max_length=300, blank=True)
    delivered_by = models.CharField(_("delivered by"), max_length=300, blank=True)
    paid_by = models.CharField(_("paid by"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    carried_over = models.BooleanField(_("carried over"), default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["review", "name"]
        constraints = [models.UniqueConstraint(fields=["review", "name"],
                                               name="measure_name_unique_in_review")]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return self.name


class MeasureStat(models.Model):
    """A measure's figures for one year. Empty means not known: never stored as 0."""

    COUNTS = ["eligible", "referred", "started", "completed", "breached"]

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="stats")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    eligible = models.PositiveIntegerField(_("eligible cases"), null=True, blank=True)
    referred = models.PositiveIntegerField(_("referred or ordered"), null=True, blank=True)
    started = models.PositiveIntegerField(_("started"), null=True, blank=True)
    completed = models.PositiveIntegerField(_("completed"), null=True, blank=True)
    breached = models.PositiveIntegerField(_("breached"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["measure", "year"]
        constraints = [models.UniqueConstraint(fields=["measure", "year"],
                                               name="one_stat_per_measure_year")]
        verbose_name = _("statistic")
        verbose_name_plural = _("statistics")

    def __str__(self):
        return f"{self.measure} {self.year}"


class Indicator(models.TextChoices):
    PRISON_POPULATION = "prison_population", _("Prison population")
    OCCUPANCY = "occupancy_rate", _("Prison occupancy (%)")
    DRUG_LAW_OFFENCES = "drug_law_offences", _("Drug-law offences")
    DRUG_PRISONER_SHARE = "drug_prisoner_share", _(
        "Prisoners sentenced for drug offences (% of sentenced prisoners)")


class ContextIndicator(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="indicators")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True,
                                blank=True)
    source = models.CharField(_("source"), max_length=500)
    carried_over = models.BooleanField(_("carried over"), default=False)

    class Meta:
        ordering = ["review", "indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["review", "indicator", "year"],
                                               name="one_value_per_indicator_year")]
        verbose_name = _("context indicator")
        verbose_name_plural = _("context indicators")

    def __str__(self):
        return f"{self.get_indicator_display()} {self.year}"
