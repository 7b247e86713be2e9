"""Who may do what through the API.

Reading is open to everyone; *what* they read is narrowed by each view's queryset
(``visible_to``), so anonymous clients see published records only. Writing needs an
authenticated account with the model permission (the same groups as the admin); the review
workflow's own rules (only editors publish) are enforced by records/services.py.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions
from rest_framework.request import Request


class ReadAnyoneWriteByPermission(BasePermission):
    message = "Writing needs an account with permission to change these records."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return False
        perms = DjangoModelPermissions().get_required_permissions(request.method, model)
        return request.user.has_perms(perms)
