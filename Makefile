# Aishang Property (爱尚物业) — the README's two commands and their parts.
#
#   make demo                 embedded SQLite demo with Sao on http://127.0.0.1:8000/
#   make demo HOST=0.0.0.0 PORT=8080
#   make demo-reset           delete the demo database (var/demo), then make demo
#   make test                 whole suite with pytest on SQLite
#   AISHANG_TEST_DB=postgresql://postgres@127.0.0.1:5432/ make test   ... on PostgreSQL
#   make test PYTEST_ARGS='-k resource -x'
#   make test-browser         Sao smoke test with Playwright + /usr/bin/chromium
#   make test-clients         the owner clients' tests (H5 portal, mini-program)
#   make h5                   build the H5 owner portal into clients/h5/dist
#   make sao                  Tryton's web client into build/sao/package
#   make clean                remove build/, var/, .cache/, test-artifacts/ (keeps .venv)
#   make distclean            clean + remove .venv

PYTHON      ?= python3
VENV        ?= .venv
HOST        ?= 127.0.0.1
PORT        ?= 8000
PYTEST_ARGS ?=
SAO_VERSION := 8.0.11
SAO_DIR     := build/sao

VENV_PY     := $(VENV)/bin/python
# pip install -e '.[test]' runs again only when pyproject.toml is newer than this
INSTALL_STAMP := $(VENV)/.aishang-installed
SAO_STAMP   := $(SAO_DIR)/.installed-$(SAO_VERSION)
H5_DIR      := clients/h5
MP_DIR      := clients/miniprogram
MP_MODULES  := $(MP_DIR)/node_modules/.package-lock.json
# npm ci again only when the lock file changes; a build when a source does
H5_MODULES  := $(H5_DIR)/node_modules/.package-lock.json
H5_DIST     := $(H5_DIR)/dist/index.html
H5_SOURCES  := $(shell find $(H5_DIR)/src $(H5_DIR)/public -type f 2>/dev/null) \
	$(H5_DIR)/index.html $(H5_DIR)/vite.config.js

.PHONY: demo demo-reset test test-browser test-clients h5 sao install clean distclean help

help:
	@sed -n '3,15p' Makefile

demo: $(INSTALL_STAMP) $(SAO_STAMP) $(H5_DIST)
	$(VENV)/bin/aishang demo --host $(HOST) --port $(PORT)

demo-reset: $(INSTALL_STAMP) $(SAO_STAMP) $(H5_DIST)
	$(VENV)/bin/aishang demo --reset --host $(HOST) --port $(PORT)

# The clients' tests touch no database: they run with the SQLite run only
test: $(INSTALL_STAMP)
	$(VENV_PY) -m aishang.testrun $(PYTEST_ARGS)
	@if [ -z "$$AISHANG_TEST_DB" ]; then $(MAKE) --no-print-directory test-clients; fi

test-clients: $(H5_MODULES) $(MP_MODULES)
	cd $(H5_DIR) && npm test
	cd $(MP_DIR) && npm test

$(MP_MODULES): $(MP_DIR)/package-lock.json
	cd $(MP_DIR) && npm ci --no-audit --no-fund --loglevel=error

test-browser: $(INSTALL_STAMP) $(SAO_STAMP) $(H5_DIST)
	$(VENV_PY) -m pytest tests/browser $(PYTEST_ARGS)

install: $(INSTALL_STAMP)

sao: $(SAO_STAMP)

h5: $(H5_DIST)

$(H5_MODULES): $(H5_DIR)/package-lock.json
	cd $(H5_DIR) && npm ci --no-audit --no-fund --loglevel=error

$(H5_DIST): $(H5_MODULES) $(H5_SOURCES)
	cd $(H5_DIR) && npm run build

$(VENV_PY):
	$(PYTHON) -m venv $(VENV)

$(INSTALL_STAMP): pyproject.toml | $(VENV_PY)
	@echo "Installing the Python dependencies into $(VENV) (first time: a minute or two)..."
	$(VENV_PY) -m pip install --disable-pip-version-check -q -e '.[test]'
	touch $@

# Sao is prebuilt on npm; its dependencies must be installed inside the
# unpacked package (index.html loads node_modules/... relative to itself).
$(SAO_STAMP):
	@echo "Installing Sao $(SAO_VERSION) (Tryton's web client) into $(SAO_DIR)/package..."
	rm -rf $(SAO_DIR)
	mkdir -p $(SAO_DIR)
	cd $(SAO_DIR) && npm pack --silent tryton-sao@$(SAO_VERSION)
	cd $(SAO_DIR) && tar xzf tryton-sao-$(SAO_VERSION).tgz
	cd $(SAO_DIR)/package && npm install --omit=dev --legacy-peer-deps \
		--no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf build var .cache test-artifacts .pytest_cache .hypothesis \
		$(H5_DIR)/dist
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune \
		-exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info $(H5_DIR)/node_modules $(MP_DIR)/node_modules \
		$(MP_DIR)/miniprogram_npm
