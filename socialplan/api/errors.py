"""One JSON shape for every API error, declared in the OpenAPI document.

Every failure answers `{"detail": "..."}` with a sentence a person can read;
a 422 adds `errors`, one entry per invalid field, so that a client can point
at the field. ninja's own 422 puts a list in `detail`, and a Django
ValidationError raised by a service would otherwise become a 500: both are
turned into the same 422 here, so routers only declare the codes.
"""

from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as RequestValidationError


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


# Response declarations shared by the routers' operations.
UNPARSABLE: dict[int, Any] = {400: ErrorOut}  # a request body that is not JSON
NOT_FOUND: dict[int, Any] = {404: ErrorOut}
INVALID: dict[int, Any] = {422: ValidationErrorOut}
DENIED: dict[int, Any] = {401: ErrorOut, 403: ErrorOut}


def install_error_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(RequestValidationError, partial(_request_validation_error, api=api))
    api.add_exception_handler(ModelValidationError, partial(_model_validation_error, api=api))


def _request_validation_error(request: HttpRequest, exc: RequestValidationError, *, api: NinjaAPI) -> HttpResponse:
    errors = [{"loc": list(error.get("loc", ())), "msg": str(error.get("msg", ""))} for error in exc.errors]
    return _invalid(api, request, errors)


def _model_validation_error(request: HttpRequest, exc: ModelValidationError, *, api: NinjaAPI) -> HttpResponse:
    # The model's messages are translated. LocaleMiddleware gives URLs without
    # a language prefix, such as /api/, the site's default (Italian); an API
    # client chooses with Accept-Language instead.
    with translation.override(translation.get_language_from_request(request)):
        messages = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    errors = [
        {"loc": [] if field == NON_FIELD_ERRORS else [field], "msg": message}
        for field, field_messages in messages.items()
        for message in field_messages
    ]
    return _invalid(api, request, errors)


def _invalid(api: NinjaAPI, request: HttpRequest, errors: list[dict[str, Any]]) -> HttpResponse:
    where = "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'request'}: {error['msg']}" for error in errors
    )
    return api.create_response(request, {"detail": f"Invalid input. {where}", "errors": errors}, status=422)
