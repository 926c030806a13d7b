# Two commands for a new user: `make demo` and `make test`. Everything they need is installed
# from this repository's own files: Python packages from uv.lock, Debian packages via apt.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install demo demo-setup test test-fast lint typecheck schema chromium clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.synced

# Secrets are made on this machine, never taken from the repository.
.env: | $(VENV)/.synced
	@echo "Writing .env with a new SECRET_KEY and token-encryption key (local only, git-ignored)"
	@{ echo "SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	   echo "TOKEN_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"; \
	 } > .env

demo-setup: install .env
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py demo_seed

demo: demo-setup
	@echo ""
	@echo "  Employee advocacy demo: http://127.0.0.1:8000"
	@echo "  Logins (password: demo): marketing, motivator, ambassador, ambassador2, sara, leader"
	@echo "  Admin: http://127.0.0.1:8000/admin/ (as marketing)   API docs: http://127.0.0.1:8000/api/docs/"
	@echo "  Web server, Celery worker and beat start now; Ctrl-C stops them all."
	@echo ""
	$(VENV)/bin/honcho start -f Procfile.demo

# Debian's Chromium drives the browser test (Playwright never downloads a browser here).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install chromium
	$(VENV)/bin/pytest

test-fast: install
	$(VENV)/bin/pytest -m "not e2e and not browser"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: install
	$(VENV)/bin/mypy advocacy campaigns policy config reports

# The published API contract; tests/api/test_schema.py fails when it differs from the code.
schema: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py spectacular --file docs/api/openapi.yaml

clean:
	rm -rf $(VENV) .tools var staticfiles
