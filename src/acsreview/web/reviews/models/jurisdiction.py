import re

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Role

# ISO 3166-1 reserves AA, QM-QZ, XA-XZ and ZZ for user assignment: the demo's fictional
# jurisdictions use them, so they can never be mistaken for a real country.
USER_ASSIGNED = re.compile(r"^(AA|Q[M-Z]|X[A-Z]|ZZ)$")


def validate_code(code: str) -> None:
    """A country (ISO 3166-1 alpha-2), a user-assigned code, or a subdivision (ISO 3166-2)."""
    if "-" in code:
        if pycountry.subdivisions.get(code=code) is None and not USER_ASSIGNED.match(
                code.split("-")[0]):
            raise ValidationError(_("%(code)s is not an ISO 3166-2 subdivision code."),
                                  params={"code": code})
    elif pycountry.countries.get(alpha_2=code) is None and not USER_ASSIGNED.match(code):
        raise ValidationError(_("%(code)s is not an ISO 3166-1 alpha-2 country code."),
                              params={"code": code})


class Jurisdiction(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True, validators=[validate_code],
                            help_text=_("ISO 3166 code: PT for a country, ES-CT for a region."))
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("part of"))
    is_demo = models.BooleanField(_("demo data"), default=False,
                                  help_text=_("Fictional, for trying the tool out."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def lineage(self):
        """This jurisdiction and the ones it is part of, nearest first."""
        node, seen = self, []
        while node is not None and node not in seen:
            seen.append(node)
            node = node.parent
        return seen


class Membership(models.Model):
    """A person's role in one jurisdiction (and the regions under it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE,
                                     related_name="memberships")
    role = models.CharField(_("role"), max_length=20,
                            choices=[c for c in Role.choices if c[0] != Role.COORDINATOR])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "jurisdiction"],
                                               name="one_role_per_jurisdiction")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.jurisdiction.code}"
