"""Registers the read-only audit viewer in the staff console."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from egov.core.audit.models import AuditEvent
from egov.core.audit.viewsets import AuditEventViewSet, AuditReadOnlyPermissionPolicy

register_permission_policy(AuditEvent, AuditReadOnlyPermissionPolicy(AuditEvent))


@hooks.register("register_admin_viewset")
def register_audit_viewset() -> AuditEventViewSet:
    return AuditEventViewSet("audit")
