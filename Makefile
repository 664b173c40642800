# The one list of commands (`make help`). CI calls `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.local/bin:$(PATH)
UV ?= uv
RUN := $(UV) run --frozen

.PHONY: help setup up down status run chaos test lint unit integration e2e bench clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: ## Install what is missing: uv, Python deps, PostgreSQL, the Kafka jars (idempotent)
	@bash deploy/local/setup.sh

up: setup ## Start Kafka and PostgreSQL on 127.0.0.1 and create the topics
	@$(RUN) devstack up

down: ## Stop the local stack cleanly
	@$(RUN) devstack down

status: ## What runs where
	@$(RUN) devstack status

run: up ## Set up, start everything and run the main job
	@$(RUN) devstack run

chaos: setup ## Rounds of faults (services, broker, PostgreSQL, network, partners) on a stack of its own, then every check (CHAOS_ROUNDS=20, CHAOS_SEED, CHAOS_PERSONS)
	@$(RUN) devstack chaos

lint: setup ## ruff, mypy --strict, import-linter, every manifest and the compose file
	@$(RUN) ruff check .
	@$(RUN) ruff format --check .
	@$(RUN) mypy
	@$(RUN) lint-imports
	@$(RUN) devstack lint-deploy

unit: setup ## Unit tests of pure logic (no infrastructure)
	@$(RUN) pytest -q -m "not integration and not e2e"

integration: up ## Integration tests on real Kafka and PostgreSQL
	@$(RUN) pytest -q -m integration

test: up lint ## Set up, start the stack, lint and run every test
	@$(RUN) pytest -q

bench: up ## Benchmarks against baselines measured in the same run
	@$(RUN) devstack bench

clean: down ## Stop the stack and remove its data (the Kafka jar cache stays)
	@rm -rf .state/kafka .state/postgres .state/logs .state/run
	@rm -rf /var/lib/postgresql/benefits-* 2>/dev/null || true
