from __future__ import annotations

from django.forms.models import model_to_dict

from ..models import AuditEvent, Review


def snapshot(obj, fields: list[str] | None = None) -> dict:
    """A JSON-safe picture of ``obj`` for the audit trail."""
    data = model_to_dict(obj, fields=fields)
    return {k: (str(v) if v is not None and not isinstance(v, (int, float, bool, str, list,
                                                               dict)) else v)
            for k, v in data.items()}


def record(user, review: Review | None, object_type: str, object_id, action: str,
           before: dict | None, after: dict | None) -> AuditEvent:
    changed_before, changed_after = before, after
    if before is not None and after is not None:
        keys = [k for k in after if before.get(k) != after.get(k)]
        changed_before = {k: before.get(k) for k in keys}
        changed_after = {k: after.get(k) for k in keys}
    return AuditEvent.objects.create(
        review=review, user=user if getattr(user, "is_authenticated", False) else None,
        object_type=object_type, object_id=str(object_id), action=action,
        before=changed_before, after=changed_after)
