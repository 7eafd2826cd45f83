# crmkit: the two README commands (`make playbook`, `make test`) and helpers.
# Every target works from a fresh clone: it makes .venv and installs what it
# needs. Stamp files in .venv skip pip while pyproject.toml and constraints.txt
# are unchanged.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON        ?= python3
VENV          := .venv
PY            := $(VENV)/bin/python
PIP           := $(PY) -m pip
CRMKIT        := $(VENV)/bin/crmkit
RUFF          := $(VENV)/bin/ruff
JUPYTER       := $(VENV)/bin/jupyter
PIP_FLAGS     := --disable-pip-version-check --progress-bar off
DEPS          := pyproject.toml constraints.txt
STAMP_RUNTIME := $(VENV)/.stamp-runtime
STAMP_TEST    := $(VENV)/.stamp-test
STAMP_WORKSHOP := $(VENV)/.stamp-workshop
HOST          ?= 127.0.0.1
PORT          ?= 8866
CHROMIUM      := /usr/bin/chromium
NBMAKE_TIMEOUT ?= 300
ALLOW_ROOT    := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help playbook test lab workshop data bench install install-test chromium sandbox hub-proxy clean distclean

help: ## list the targets
	@echo "crmkit: make targets (run them from the repository root)"
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# ---------------------------------------------------------------- environment
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "crmkit needs Python >= 3.11; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." >&2; \
	  echo "Run again with a newer one, e.g.: make PYTHON=python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUNTIME): $(DEPS) | $(PY)
	$(PIP) install $(PIP_FLAGS) -e '.[pdf]' -c constraints.txt
	@touch $@

# The test extra is a superset of the runtime, so it refreshes both stamps.
$(STAMP_TEST): $(DEPS) | $(PY)
	$(PIP) install $(PIP_FLAGS) -e '.[test,workshop,hub,pdf]' -c constraints.txt
	@touch $@ $(STAMP_RUNTIME) $(STAMP_WORKSHOP)

$(STAMP_WORKSHOP): $(DEPS) | $(PY)
	$(PIP) install $(PIP_FLAGS) -e '.[workshop]' -c constraints.txt
	@touch $@ $(STAMP_RUNTIME)

install: $(STAMP_RUNTIME) ## make .venv and install crmkit (pinned by constraints.txt)
install-test: $(STAMP_TEST) ## the same, with the test tools

# Debian's Chromium for the browser tests. Outside CI a missing browser only
# warns (the browser tests skip); in CI (CI=true) it is an error.
chromium: ## install Debian's chromium for the browser tests if it is missing (as root)
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  log=$${TMPDIR:-/tmp}/crmkit-apt-chromium.log; \
	  echo "== $(CHROMIUM) is missing: installing Debian's chromium with apt-get (log: $$log)"; \
	  if ( export DEBIAN_FRONTEND=noninteractive; apt-get update && apt-get install -y chromium ) >"$$log" 2>&1 </dev/null; \
	  then echo "   installed: $$($(CHROMIUM) --version 2>/dev/null | head -1)"; \
	  else tail -n 20 "$$log" >&2; echo "apt-get could not install chromium (log: $$log)." >&2; fi; \
	fi; \
	if [ ! -x $(CHROMIUM) ]; then \
	  case "$${CI:-}" in \
	    ""|0|false|False|no) \
	      echo "WARNING: $(CHROMIUM) is missing, so the browser tests will be skipped." >&2; \
	      echo "         Install it with: sudo apt-get install -y chromium" >&2 ;; \
	    *) \
	      echo "ERROR: $(CHROMIUM) is missing and CI=$${CI}: the browser tests cannot run." >&2; \
	      echo "       Install it with: apt-get install -y chromium" >&2; exit 1 ;; \
	  esac; \
	fi

# Debian's bubblewrap and util-linux for the grading sandbox (crmkit exercises
# grade). Outside CI a missing bwrap only warns (the sandbox tests skip and
# grading refuses until it is installed); in CI it is an error.
sandbox: ## install bubblewrap (the grading sandbox) if it is missing (as root)
	@if command -v bwrap >/dev/null 2>&1 && command -v prlimit >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  log=$${TMPDIR:-/tmp}/crmkit-apt-bubblewrap.log; \
	  echo "== bwrap is missing: installing Debian's bubblewrap with apt-get (log: $$log)"; \
	  ( export DEBIAN_FRONTEND=noninteractive; apt-get update && apt-get install -y bubblewrap util-linux ) >"$$log" 2>&1 </dev/null \
	    || { tail -n 20 "$$log" >&2; echo "apt-get could not install bubblewrap (log: $$log)." >&2; }; \
	fi; \
	if ! command -v bwrap >/dev/null 2>&1; then \
	  case "$${CI:-}" in \
	    ""|0|false|False|no) \
	      echo "WARNING: bwrap is missing: grading refuses to run without a sandbox and its tests skip." >&2; \
	      echo "         Install it with: sudo apt-get install -y bubblewrap" >&2 ;; \
	    *) echo "ERROR: bwrap is missing and CI=$${CI}: the sandbox tests cannot run." >&2; exit 1 ;; \
	  esac; \
	fi

# JupyterHub's proxy (configurable-http-proxy, npm) for the local hub and its
# test, at the version locked in crmkit/workshop/share/hub, into .hub/.
HUB_LOCK := crmkit/workshop/share/hub
hub-proxy: ## install JupyterHub's proxy (npm configurable-http-proxy) into .hub/ (needs node and npm)
	@if [ -x .hub/node_modules/.bin/configurable-http-proxy ] && cmp -s $(HUB_LOCK)/package-lock.json .hub/package-lock.json; then exit 0; fi; \
	if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  log=$${TMPDIR:-/tmp}/crmkit-apt-npm.log; \
	  echo "== npm is missing: installing Debian's nodejs and npm with apt-get (log: $$log)"; \
	  ( export DEBIAN_FRONTEND=noninteractive; apt-get update && apt-get install -y nodejs npm ) >"$$log" 2>&1 </dev/null \
	    || { tail -n 20 "$$log" >&2; echo "apt-get could not install npm (log: $$log)." >&2; }; \
	fi; \
	if ! command -v npm >/dev/null 2>&1; then \
	  case "$${CI:-}" in \
	    ""|0|false|False|no) \
	      echo "WARNING: npm is missing: the local JupyterHub test skips. Install it with: sudo apt-get install -y nodejs npm" >&2; exit 0 ;; \
	    *) echo "ERROR: npm is missing and CI=$${CI}: the JupyterHub test cannot run." >&2; exit 1 ;; \
	  esac; \
	fi; \
	mkdir -p .hub && cp $(HUB_LOCK)/package.json $(HUB_LOCK)/package-lock.json .hub/ && \
	echo "== installing configurable-http-proxy into .hub/ (npm ci)" && \
	npm ci --prefix .hub --no-audit --no-fund --loglevel=error

# ---------------------------------------------------------------- the two commands
playbook: $(STAMP_RUNTIME) chromium ## the main job: install, check the datasets, execute the notebooks (crmkit build); DATA=DIR OUT=DIR for your own data
	@if [ -n "$(DATA)" ]; then \
	  if [ -z "$(OUT)" ]; then echo "make playbook DATA=$(DATA): add OUT=DIR, a folder for your data's site (site/ stays the kit's)." >&2; exit 2; fi; \
	  $(CRMKIT) build --pdf --data "$(DATA)" --out "$(OUT)"; \
	else \
	  $(CRMKIT) datasets check && $(CRMKIT) build --pdf; \
	fi

test: $(STAMP_TEST) chromium sandbox hub-proxy ## all tests: ruff, unit tests (pytest), every notebook and exercise (nbmake)
	@lint=0; unit=0; nb=0; \
	lint_paths=$$(for d in crmkit tests benchmarks; do [ -d "$$d" ] && echo "$$d"; done || true); \
	echo "== ruff check" $$lint_paths; \
	$(RUFF) check $$lint_paths || lint=$$?; \
	echo "== unit tests: python -m pytest"; \
	$(PY) -m pytest || unit=$$?; \
	if [ "$$unit" = 5 ] && [ -z "$$(find tests -name 'test_*.py' -o -name '*_test.py' 2>/dev/null)" ]; then \
	  echo "(no unit tests yet)"; unit=0; \
	fi; \
	nb_paths=$$(for d in notebooks exercises; do \
	  [ -n "$$(find "$$d" -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -print -quit 2>/dev/null)" ] && echo "$$d"; \
	done || true); \
	xdist=$$($(PY) -c 'import importlib.util as u; print("-n 2" if u.find_spec("xdist") else "")'); \
	if [ -n "$$nb_paths" ]; then \
	  echo "== notebooks: python -m pytest --nbmake" $$nb_paths; \
	  $(PY) -m pytest --nbmake $$nb_paths --nbmake-timeout=$(NBMAKE_TIMEOUT) -p no:randomly $$xdist || nb=$$?; \
	else \
	  echo "== notebooks: none in notebooks/ or exercises/ yet, skipped"; \
	fi; \
	echo "== make test: ruff exit $$lint, unit tests exit $$unit, notebooks exit $$nb"; \
	[ "$$lint" = 0 ] && [ "$$unit" = 0 ] && [ "$$nb" = 0 ]

# ---------------------------------------------------------------- helpers
lab: $(STAMP_RUNTIME) ## open JupyterLab on notebooks/ at http://127.0.0.1:8888
	@mkdir -p notebooks
	$(JUPYTER) lab --ip=127.0.0.1 --ServerApp.root_dir=notebooks $(ALLOW_ROOT)

workshop: $(STAMP_WORKSHOP) ## serve the live dashboards (Voila) at http://127.0.0.1:8866; HOST=0.0.0.0 opens them to a room
	$(CRMKIT) workshop --host $(HOST) --port $(PORT) $(WORKSHOP_ARGS)

# Without FORCE=1, files that differ from the regeneration (edited by hand?) are
# listed and nothing is written.
data: $(STAMP_RUNTIME) ## regenerate the committed datasets/ (crmkit datasets regenerate); FORCE=1 replaces files that differ
	$(CRMKIT) datasets regenerate$(if $(filter-out 0 no false,$(FORCE)), --force,)

bench: $(STAMP_RUNTIME) ## run every benchmarks/bench_*.py
	@status=0; found=0; \
	for f in benchmarks/bench_*.py; do \
	  [ -e "$$f" ] || continue; found=1; \
	  echo "== $$f"; $(PY) "$$f" || status=1; \
	done; \
	[ "$$found" = 1 ] || echo "No benchmarks/bench_*.py yet."; \
	exit $$status

# Only what the kit and its tools make, and only in the repository's own folders:
# a folder of yours inside the checkout (a course built there, dist/) is left alone.
CODE_DIRS     := crmkit tests benchmarks tools
NOTEBOOK_DIRS := notebooks exercises
# The caches (the same names are in the find below).
CACHES        := __pycache__ .pytest_cache .ruff_cache .hypothesis *.egg-info

clean: ## remove build/, site/ and caches (never datasets/, the notebooks, .venv/ or folders of yours)
	rm -rf build site $(CACHES)
	for d in $(CODE_DIRS); do \
	  [ ! -d "$$d" ] || find "$$d" -type d \( -name __pycache__ -o -name .pytest_cache \
	    -o -name .ruff_cache -o -name .hypothesis -o -name '*.egg-info' \) -prune -exec rm -rf {} +; \
	done
	for d in $(NOTEBOOK_DIRS); do \
	  [ ! -d "$$d" ] || find "$$d" -type d -name .ipynb_checkpoints -prune -exec rm -rf {} +; \
	done

distclean: clean ## clean, and remove .venv and .hub (JupyterHub's proxy) too
	rm -rf $(VENV) .hub
