"""The administration site, for coordinators: jurisdictions, memberships, reviews, the audit."""

from django.contrib import admin

from .models import ActionItem, AuditEvent, Jurisdiction, Membership, Review


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["code", "name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "jurisdiction", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "jurisdiction__code"]
    autocomplete_fields = ["user", "jurisdiction"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["slug", "jurisdiction", "round", "status", "instrument_version"]
    list_filter = ["status", "round"]
    search_fields = ["slug"]
    # Status moves through the workflow (recorded with who and when), not by editing here.
    readonly_fields = ["slug", "status", "carried_from", "created_at", "created_by"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is read-only, here as everywhere."""

    list_display = ["at", "user", "review", "object_type", "object_id", "action"]
    list_filter = ["object_type", "action"]
    search_fields = ["object_id", "user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    """Decisions on action plans: read-only here, made on the review's action plan page."""

    list_display = ["review", "key", "rank", "decision", "title", "owner", "due_date",
                    "status", "updated_at"]
    list_filter = ["decision", "status"]
    search_fields = ["review__slug", "key", "title", "owner"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
