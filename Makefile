# The README's two commands are `make run` and `make test`; both set everything up.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Catalogs are updated and compiled this many at a time.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# The catalogs the service will read: ERRMSG_LOCALES_DIR when set, as for the service.
LOCALES ?= $(or $(ERRMSG_LOCALES_DIR),locales)
ifeq ($(wildcard $(LOCALES)/.),)
$(error errmsg: the locales directory $(LOCALES) does not exist (ERRMSG_LOCALES_DIR=$(ERRMSG_LOCALES_DIR)))
endif
# The registry the service will read: ERRMSG_REGISTRY when set, as for the service.
REGISTRY ?= $(or $(ERRMSG_REGISTRY),service/errors.toml)
# The flask commands that write this project's files read this project's registry and
# catalogs, whichever copy of the package the virtualenv imports (a copy of the project
# may share another's .venv, whose flask plugins import that checkout's package).
FLASK := ERRMSG_LOCALES_DIR=$(abspath $(LOCALES)) ERRMSG_REGISTRY=$(abspath $(REGISTRY)) $(BIN)/flask
PYBABEL := $(BIN)/pybabel
POT := $(LOCALES)/messages.pot
# Pseudo-locales are generated from the template, never committed or hand-edited.
PSEUDO_PO := $(LOCALES)/en_XA/LC_MESSAGES/messages.po $(LOCALES)/ar_XB/LC_MESSAGES/messages.po
TRANSLATED_PO := $(filter-out $(PSEUDO_PO),$(wildcard $(LOCALES)/*/LC_MESSAGES/messages.po))
PO_FILES := $(sort $(TRANSLATED_PO) $(PSEUDO_PO))
MO_FILES := $(PO_FILES:.po=.mo)
# Regenerated when the template's content changes, not its timestamp (a git checkout).
PSEUDO_STAMP := $(LOCALES)/.pseudo-$(firstword $(shell sha256sum $(POT) 2>/dev/null | cut -c1-16) none)
CATALOG := $(BIN)/python -m service.translators.commands
EXTRACT_FLAGS := --project=errmsg --version=0.1 --copyright-holder="errmsg contributors" \
	--msgid-bugs-address=i18n@errmsg.invalid --width=100

.PHONY: FORCE pseudo all install install-test install-translators compile catalogs docs types extract update check run serve-prod dev test bench \
	bench-smoke soak lint clean

all: compile

# What the service needs (make run); the test tools come on top, only for make test.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-translators
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# The translators' extra tools (XLIFF through translate-toolkit): for make catalogs and
# make check, not for the service (make run).
$(VENV)/.installed-translators: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[translators]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-translators: $(VENV)/.installed-translators

$(PSEUDO_STAMP): | $(VENV)/.installed
	$(CATALOG) pseudo --locales-dir $(LOCALES)
	rm -f $(LOCALES)/.pseudo-* && touch $@

# A target name, not the stamp's: the stamp's name comes from the template's content, and
# the recursive make in `update` must compute it from the template extract just wrote.
pseudo: $(PSEUDO_STAMP)

$(PSEUDO_PO): $(PSEUDO_STAMP)
	@test -f $@ || $(CATALOG) pseudo --locales-dir $(LOCALES)

# .po → .mo, only where the .po changed; a syntax error stops here with file:line
# (completion figures: make check).
$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(CATALOG) validate $<
	$(PYBABEL) compile -l $* -i $< -o $@

compile: install $(MO_FILES)

## Registry → template (the stock pybabel CLI through babel.cfg); the template is
## replaced only when more than its POT-Creation-Date changed.
extract: install
	$(PYBABEL) extract -F babel.cfg $(EXTRACT_FLAGS) -o $(POT).new .
	@if diff -q -I '^"POT-Creation-Date:' $(POT).new $(POT) >/dev/null 2>&1; \
	then rm $(POT).new; else mv $(POT).new $(POT); echo "updated $(POT)"; fi

## Template → every locale's .po; changed English becomes fuzzy with its previous
## msgid (#|), removed codes become obsolete (#~): nothing a translator wrote is lost.
## A catalog is rewritten only when its content changes; catalogs are updated in parallel.
UPDATES := $(TRANSLATED_PO:.po=.update)
update: extract
	@$(MAKE) -s -j$(JOBS) $(UPDATES)
	$(MAKE) -s pseudo

# One catalog: pybabel update into a scratch copy, mended where Babel loses previous English,
# guesses across entries or forgets obsolete ones (service/translators/update.py); the copy
# replaces the .po only if it differs.
%.update: FORCE
	@po=$*.po; locale=$$(basename "$$(dirname "$$(dirname "$$po")")"); tmp=$$(mktemp); cp "$$po" "$$tmp"; \
	$(PYBABEL) --quiet update -i $(POT) -o "$$tmp" -l "$$locale" --previous --width=100 \
	  --ignore-pot-creation-date && $(CATALOG) mend-update "$$po" "$$tmp" || { rm -f "$$tmp"; exit 1; }; \
	if cmp -s "$$tmp" "$$po"; then rm "$$tmp"; else cat "$$tmp" > "$$po"; rm "$$tmp"; echo "updated $$po"; fi

FORCE:

# The JavaScript tools of the tests and of `make types`: the real i18next client,
# TypeScript and openapi-typescript (npm registry, pinned by the lock file).
JS_DEPS := tests/js/node_modules/.package-lock.json
$(JS_DEPS): tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error

## The client's generated types (service/client/codes.d.ts from the registry, openapi.d.ts
## from /openapi.json by openapi-typescript); `make test` fails when they are stale.
types: compile $(JS_DEPS)
	$(FLASK) --app service types --out service/client --openapi-typescript tests/js/node_modules/.bin/openapi-typescript

## The translator's one command: extract → update → compile → documentation pages → the
## client's types (codes.d.ts needs no network; openapi.d.ts is skipped, in one line, when
## npm cannot install openapi-typescript).
catalogs: update | $(VENV)/.installed-translators
	$(MAKE) -j$(JOBS) compile
	$(CATALOG) launch --locales-dir $(LOCALES)
	$(MAKE) -s docs
	@if test -f tests/js/package.json && command -v npm >/dev/null \
	   && $(MAKE) -s $(JS_DEPS) >/dev/null 2>&1; then $(MAKE) -s types; \
	else $(FLASK) --app service types --out service/client >/dev/null && echo "make catalogs: no openapi-typescript" \
	  "(npm offline or missing): wrote service/client/codes.d.ts; openapi.d.ts needs \`make types\`"; fi

## The code table as one Markdown page per language, docs/errors/<tag>.md, from the
## catalogs (README, "For documentation owners"); a page is rewritten only when it changes.
docs: compile
	$(FLASK) --app service docs

## Every catalog's completion and defects (see TRANSLATING.md).
check: compile | $(VENV)/.installed-translators
	$(CATALOG) check --locales-dir $(LOCALES)

## The service as production runs it (the container's CMD): granian, WEB_CONCURRENCY workers.
run: compile
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m service.serve

serve-prod: run

## Flask's development server with the reloader and the translators' catalog preview.
dev: compile
	FLASK_DEBUG=1 $(BIN)/flask --app service.wsgi:app run --host "$(HOST)" --port "$(PORT)"


## Throughput against Flask itself, nginx and a 10,000-code registry; writes bench/RESULTS.md.
bench: compile install-test
	$(BIN)/python bench/run.py

## 60 s of load, a worker killed under load, pathological headers; a section of bench/RESULTS.md.
soak: compile install-test
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/hostile.py

bench-smoke: compile install-test
	$(BIN)/python bench/run.py --smoke --out bench/.work/RESULTS-smoke.md

test: compile install-test $(JS_DEPS)
	$(BIN)/ruff check service tests bench
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check service tests bench

clean:
	rm -rf $(VENV) $(LOCALES)/*/LC_MESSAGES/*.mo $(LOCALES)/en_XA $(LOCALES)/ar_XB $(LOCALES)/.pseudo-* \
		.pytest_cache \
		tests/js/node_modules tests/js/.apps test-artifacts
