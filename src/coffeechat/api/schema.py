"""The OpenAPI document: every operation declares the errors it can answer, and their body."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

FIELD_ERROR = {
    "title": "FieldError",
    "type": "object",
    "properties": {
        "loc": {
            "type": "array",
            "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "description": "Where the error is: body, query or path, then the field",
        },
        "msg": {"type": "string"},
        "type": {"type": "string", "description": "A machine-readable kind of error"},
    },
    "required": ["loc", "msg", "type"],
}
ERROR = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in a sentence"},
        "errors": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/FieldError"},
            "description": "One item per field in error; empty when no field is",
        },
    },
    "required": ["detail", "errors"],
}
# The errors every operation can answer.
ERRORS = {
    "400": "The body is not JSON, or not the JSON object this operation takes",
    "401": "Not signed in, or the token is not valid (see WWW-Authenticate)",
    "403": "Signed in with the session, but without its CSRF token (changes only)",
    "404": "No such object among yours (another user's objects are not found either)",
    "422": "A field is not valid; `errors` names each one",
}
# Operations that refuse a name another organization already has.
CONFLICTS = {"create_organization", "replace_organization", "update_organization"}


def error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the 4xx answers of every operation, all with the one Error body."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    components["FieldError"] = FIELD_ERROR
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            responses = {str(status): body for status, body in operation["responses"].items()}
            operation["responses"] = responses
            for status, description in ERRORS.items():
                if status == "400" and "requestBody" not in operation:
                    continue
                if status == "403" and method == "get":
                    continue
                responses.setdefault(status, error_response(description))
            if operation["operationId"] in CONFLICTS:
                responses["409"] = error_response("Another organization already has this name")
            for status in list(responses):
                if str(status).startswith("4") and "content" not in responses[status]:
                    responses[status] = error_response(responses[status]["description"])
    return schema


class CoffeechatAPI(NinjaAPI):
    """NinjaAPI whose schema declares the error answers of every operation.

    A 201 answer carries ``Location``: the list's address and the new id, or for a
    creation of several objects (``/targets/bulk``), the address of their list.
    """

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if response.status_code == 201:
            base = request.path.rstrip("/")
            if isinstance(data, dict) and "id" in data:
                response["Location"] = f"{base}/{data['id']}"
            else:
                response["Location"] = base.rsplit("/", 1)[0]
        return response

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return add_errors(schema)
