# syntax=docker/dockerfile:1
# One image per service, from one file:
#   docker build --build-arg PACKAGE=eligibility-engine --build-arg MODULE=eligibility_engine \
#     -t benefits/eligibility-engine .
# PACKAGE is the uv workspace member, MODULE what `python -m` runs (deploy/compose.yaml
# lists every pair). The image holds the service's virtualenv, installed from uv.lock
# without the dev group and without the sources: no secret, no generated data, no
# compiler. Settings come from the environment (README, "Configuration").
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG PACKAGE
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
COPY . .
# image-env: the line tests/deploy/test_image_environment.py runs the same way.
RUN uv sync --frozen --no-dev --no-editable --package "${PACKAGE}"

FROM ${PYTHON_IMAGE} AS runtime
ARG MODULE
RUN groupadd --gid 10001 app \
    && useradd --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app \
    && mkdir -p /data && chown app:app /data
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    SERVICE_MODULE=${MODULE}
WORKDIR /data
USER 10001:10001
# SIGTERM reaches Python (exec): a service finishes its batch, commits and leaves its group.
ENTRYPOINT ["/bin/sh", "-c", "exec python -m \"$SERVICE_MODULE\" \"$@\"", "--"]
