# Common Ground — set-up, demo and tests. `make demo` and `make test` do everything
# a fresh machine needs (Python venv, npm packages, Debian's Chromium for browser tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install install-browser translations messages demo serve test bench clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(BIN)/activate node_modules/.package-lock.json translations

# The catalogues are compiled here, never committed (*.mo is ignored).
translations: $(BIN)/activate
	$(BIN)/pybabel compile --statistics -d collab/translations

# After marking new strings: extract them and merge them into every catalogue (then translate).
messages: $(BIN)/activate
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-wrap --sort-by-file \
		--project "Common Ground" -o collab/translations/messages.pot .
	$(BIN)/pybabel update --no-wrap --no-fuzzy-matching -i collab/translations/messages.pot -d collab/translations

install-browser:
	scripts/install-chromium

demo: install
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app demo
	$(BIN)/flask --app app notifications skip-to-now
	@echo "Mail is shown, not sent: each mail is printed below and listed at http://$(HOST):$(PORT)/admin/outbox"
	MAIL_BACKEND=console SITE_URL=http://$(HOST):$(PORT) $(BIN)/python app.py --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/flask --app app db upgrade
	$(BIN)/python app.py --host $(HOST) --port $(PORT)

test: install install-browser
	PYTHON=$(BIN)/python scripts/run-tests $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/fanout.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules .pytest_cache
