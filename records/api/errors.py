"""Every error as JSON that names the problem: 400 for bad input, never a 500 for it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from records import services


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the ETag you read the record with in an If-Match header, so a change made since "
        "cannot be overwritten by mistake."
    )
    default_code = "precondition_required"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than the API accepts (DATA_UPLOAD_MAX_MEMORY_SIZE)."
    default_code = "request_too_large"


class WorkflowRefused(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The workflow step was refused."
    default_code = "workflow_refused"


def exception_handler(error: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus model validation errors (as 400), workflow refusals (as 409) and bodies
    over Django's size limits (as 413 or 400)."""
    if isinstance(error, DjangoValidationError):
        detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        error = exceptions.ValidationError(detail)
    elif isinstance(error, services.StaleRecordError):
        error = PreconditionFailed(str(error))
    elif isinstance(error, RequestDataTooBig):
        # Django refuses the body when DRF reads it; as JSON, not Django's HTML 400 page.
        error = RequestTooLarge()
    elif isinstance(error, TooManyFieldsSent | TooManyFilesSent):
        error = exceptions.ValidationError({"non_field_errors": [str(error)]})
    elif isinstance(error, services.WorkflowError):
        return Response({"detail": "Nothing was changed.", "problems": error.problems}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(error, context)
