from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who changed what, when, from what to what. Written in the same transaction."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="audit_events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    object_type = models.CharField(_("what"), max_length=40)
    object_id = models.CharField(max_length=80)
    action = models.CharField(_("action"), max_length=20)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.object_type} {self.object_id} {self.action}"
