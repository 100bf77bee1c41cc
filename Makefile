# The two commands: `make run` and `make test`. Only Python 3.11+ and make are needed.
PORT ?= 8000
# Two test processes (pytest-xdist), each with its own test database and Redis database.
PYTEST_ARGS ?= -n 2
VENV := .venv
BIN := $(VENV)/bin
# The newest Python 3.11+ on the machine.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: run test lint audit bench bench-web bench-app clean messages

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11, python3.12, python3.13 or python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

## run: install, migrate, seed the demo edition once, print the organizer login, serve on 127.0.0.1:$(PORT)
## (tasks run in-process; the periodic ones run in a second process, stopped with the server)
run: $(BIN)/.installed
	@mkdir -p var; test -f var/dev.env || printf '# Written by make run: development settings for manage.py commands in this checkout.\nDEBUG=1\n' > var/dev.env
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py demo_organizer
	DEBUG=1 $(BIN)/python manage.py demo_exhibitor
	DEBUG=1 PORT=$(PORT) $(BIN)/python manage.py run_periodic & periodic=$$!; \
	trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: lint, the import floors, check migrations, run the whole suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL say so)
test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## audit: known vulnerabilities of every pinned package (pip-audit in .venv-audit; needs the network,
## so not part of `make test`). Every requirement is pinned, transitive ones included, so the files are
## audited as they are (--no-deps); --strict fails when a package could not be looked up.
.venv-audit/bin/pip-audit: requirements-audit.txt
	$(PYTHON) -m venv .venv-audit
	.venv-audit/bin/python -m pip install --quiet -r requirements-audit.txt
	touch $@

audit: .venv-audit/bin/pip-audit
	.venv-audit/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
		-r requirements.txt -r requirements-dev.txt -r requirements-bench.txt

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_scheduler.py

## bench-web: the load benchmark (gunicorn, PostgreSQL, Redis, a worker; locust in .venv-bench). See bench/bench_web.py.
.venv-bench/bin/locust: requirements-bench.txt
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet -r requirements-bench.txt
	touch $@

bench-web: $(BIN)/.installed .venv-bench/bin/locust
	$(BIN)/python bench/bench_web.py $(ARGS)

## bench-app: the scheduler through the application on the demo edition (seeds anew the database of
## DATABASE_URL, use your own; VISITORS=30000 by default, ARGS for more options, see bench/bench_app.py)
VISITORS ?= 30000
bench-app: $(BIN)/.installed
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL to a database of your own: bench-app seeds it anew"; exit 1; }
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python bench/bench_app.py --visitors $(VISITORS) $(ARGS)

clean:
	rm -rf $(VENV) .venv-bench .venv-audit var staticfiles

## messages: refresh the Spanish catalogue from the code and compile it (needs GNU gettext)
messages: $(BIN)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages -l es_MX --ignore=.venv --ignore=tests --ignore=bench --no-location
	DEBUG=1 $(BIN)/python manage.py compilemessages -l es_MX --ignore=.venv
