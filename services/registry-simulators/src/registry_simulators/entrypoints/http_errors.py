"""Turning the simulators' errors into HTTP answers: ``{"error": code, "detail": text}``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from registry_simulators.errors import (
    BadRequest,
    NotFound,
    RateLimited,
    RegistrySimulatorError,
    Unavailable,
)

STATUS = {BadRequest: 400, NotFound: 404, RateLimited: 429, Unavailable: 503}


def install(app: FastAPI) -> None:
    app.add_exception_handler(RegistrySimulatorError, _refused)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]


async def _refused(request: Request, error: RegistrySimulatorError) -> JSONResponse:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 500)
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, RateLimited) else None
    return JSONResponse({"error": error.code, "detail": str(error)}, status, headers=headers)


async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
    return await _refused(request, BadRequest("the request does not follow the API"))
