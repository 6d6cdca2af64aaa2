from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person may do. Coordinators act everywhere; the others per jurisdiction."""

    COORDINATOR = "coordinator", _("Coordinator")
    LEAD = "lead", _("Review lead")
    CONTRIBUTOR = "contributor", _("Contributor")
    VIEWER = "viewer", _("Viewer")


class Status(models.TextChoices):
    """A review's workflow. A final review is read-only."""

    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Consultation")
    VALIDATION = "validation", _("Validation")
    FINAL = "final", _("Final")


# Forward one step, or back one step before final; final is the end.
TRANSITIONS = {
    Status.DRAFT: [Status.CONSULTATION],
    Status.CONSULTATION: [Status.DRAFT, Status.VALIDATION],
    Status.VALIDATION: [Status.CONSULTATION, Status.FINAL],
    Status.FINAL: [],
}
