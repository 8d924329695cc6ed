# The README's two commands are `make run` and `make test`; both set everything up.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
LOCALES := locales
PYBABEL := $(BIN)/pybabel
POT := $(LOCALES)/messages.pot
PO_FILES := $(wildcard $(LOCALES)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
EXTRACT_FLAGS := --project=errmsg --version=0.1 --copyright-holder="errmsg contributors" \
	--msgid-bugs-address=i18n@errmsg.invalid --width=100

.PHONY: all install compile catalogs extract update run test lint clean

all: compile

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed

# .po → .mo, only where the .po changed.
$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/python -m service.catalog_check $<
	$(PYBABEL) compile --statistics -l $* -i $< -o $@

compile: install $(MO_FILES)

## Registry → template (the stock pybabel CLI through babel.cfg).
extract: install
	$(PYBABEL) extract -F babel.cfg $(EXTRACT_FLAGS) -o $(POT) .

## Template → every locale's .po; changed English becomes fuzzy with its previous
## msgid (#|), removed codes become obsolete (#~): nothing a translator wrote is lost.
update: extract
	$(PYBABEL) update -i $(POT) -d $(LOCALES) -D messages --previous --width=100

## The translator's one command: extract → update → compile.
catalogs: update
	$(MAKE) compile

run: compile
	HOST=$(HOST) PORT=$(PORT) $(BIN)/flask --app service.wsgi:app run --host "$(HOST)" --port "$(PORT)"

test: compile
	$(BIN)/ruff check service tests
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check service tests

clean:
	rm -rf $(VENV) $(LOCALES)/*/LC_MESSAGES/*.mo .pytest_cache
