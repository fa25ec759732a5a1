# The book's commands. Each works on a fresh machine with Python 3.10+ and make: it creates .venv
# if absent and installs the exact versions of requirements-lock.txt (quick when already done).
#   make book    execute every chapter (or reuse make test's run of it) and build the website into _build/html
#   make test    ruff (lint and format), helpers unit tests and docstring examples, notebook hygiene,
#                every chapter with seed 42
#   make robustness  every chapter along three other training paths: seed 1, seed 2 as a student's
#                Run All (without the solutions), and the article recipes of chapters 4 and 7
#                from three starts each; then the tests with the oldest versions, the chapters with seed 3
#   make test-seeds  every chapter with the runs $(RUNS) (seed 1, and seed 2 without the solutions)
#   make test-oldest  the tests with the oldest versions pyproject.toml allows (requirements-oldest.txt),
#                the chapters with training seed $(OLDEST_RUNS)
#   make setup-oldest  install those oldest versions into .venv-oldest (.ci/run does it in the background)
#   make test-site  the built website in headless Chromium (after make book; needs Chromium)
#   make lab     JupyterLab on the book
#   make data    download every dataset into the data folder (NNBOOK_DATA, or a per-user cache)
#   make bench   each notebook's wall time and peak memory, into _build/bench.json (then
#                python -m tools.running.run_times _build/bench.json writes the times into the book), and
#                again with the worked solutions, as make test runs them (_build/bench-solutions.json)
#   make spread  each checked number over $(SEEDS) training seeds (CHAPTERS=03,04 for some), into spread/
#   make student write student copies of the chapters (solutions removed) into _build/student
#                (FORCE=1 replaces copies already there, edited ones too)
#   make assignments  every chapter as an nbgrader assignment, in the course folder _build/course
#                (COURSE=dir elsewhere; see book/teaching.md)
#   make sync    rewrite each notebook's Colab badge, setup cell and folds from _config.yml
#                (make sync REF=v1.0 freezes the book at a release tag: see book/teaching.md)
#   make lock    regenerate requirements-lock.txt and requirements-oldest.txt (needs the package index)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-from-lock
OLDEST := .venv-oldest
OLDEST_INSTALLED := $(OLDEST)/.installed-from-oldest
PYTEST_ARGS := tests helpers notebooks --doctest-modules
RUNS ?= seed-1,seed-2-no-solutions
OLDEST_RUNS ?= seed-3

# NNBOOK_DATA may be given relative to the project root; notebooks run in notebooks/, so a relative
# one is passed on as a full path (the helpers refuse a relative one: it would name two folders). The
# value is kept whole, as a folder name may hold spaces ("/srv/course data"), and one starting with
# / or ~ is passed on as it is: the helpers expand ~ themselves, also when quoted ("~/nn-data").
ifneq ($(NNBOOK_DATA),)
ifeq ($(filter /% ~%,$(firstword $(NNBOOK_DATA))),)
override NNBOOK_DATA := $(CURDIR)/$(NNBOOK_DATA)
endif
export NNBOOK_DATA
endif

# $(call quote,VALUE): VALUE as one shell word, whatever it holds (spaces, quotes, ;, $).
quote = '$(subst ','\'',$(1))'

.PHONY: setup setup-oldest book test test-oldest test-seeds test-article-recipes robustness test-site lab data bench spread student assignments sync lock clean

setup: $(INSTALLED)

# Installs go through uv (the version the lock pins, installed with pip first): it fetches and
# unpacks in parallel. On a 2-core machine with an empty cache, the locked environment took 66 s
# against pip's 137 s. Byte-compiled at install, as pip does, so that no kernel compiles
# TensorFlow's modules again where Python may not write .pyc files. Should uv fail (an index only
# pip is configured for, say), pip installs the same pinned versions.
UV_VERSION := $(shell sed -n 's/^uv==\([0-9.]*\).*/\1/p' requirements-lock.txt)
# $(call install,VENV,ARGS): pip install ARGS into the environment VENV, through uv if it can
install = { $(1)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)" && \
	    $(1)/bin/uv pip install --quiet --compile-bytecode --python $(1)/bin/python $(2); } || \
	{ echo "uv could not install; installing with pip instead" >&2; \
	  $(1)/bin/python -m pip install --quiet --disable-pip-version-check $(2); }

$(INSTALLED): pyproject.toml requirements-lock.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "This book needs Python 3.10 or newer; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(call install,$(VENV),-r requirements-lock.txt -e ".[dev]")
	touch $@

book: $(INSTALLED)
	$(BIN)/python -m tools.website.build
	$(BIN)/python -m tools.website.verify
	@echo "The book is built: open _build/html/index.html in a browser."

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same tests with the lowest version of every direct dependency that pyproject.toml allows
# (TensorFlow 2.16 with its Keras 3, ...): what readers on Colab's older TensorFlow get.
$(OLDEST_INSTALLED): pyproject.toml requirements-oldest.txt
	test -x $(OLDEST)/bin/python || $(PYTHON) -m venv $(OLDEST)
	$(call install,$(OLDEST),-r requirements-oldest.txt)
	$(call install,$(OLDEST),--no-deps -e .)
	touch $@

setup-oldest: $(OLDEST_INSTALLED)

# The chapters run there with another training seed than make test's 42, so that this run is also
# one of the robustness run's three other training paths: each configuration runs once.
test-oldest: $(OLDEST_INSTALLED)
	$(OLDEST)/bin/python -m pytest $(PYTEST_ARGS) --runs $(call quote,$(OLDEST_RUNS))

# Other training seeds: what a reader on another machine, GPU or TensorFlow gets in effect. Every
# chapter's checks must hold on every path; failing cells are listed by chapter, run and cell.
# The second run skips the worked solutions, as a student's Run All does; test-oldest is the third.
test-seeds: $(INSTALLED)
	$(BIN)/python -m pytest notebooks --runs $(call quote,$(RUNS))

# The articles' recipes too slow for their chapters (chapter 4's), from several random starts.
test-article-recipes: $(INSTALLED)
	NNBOOK_ARTICLE_RECIPES=1 $(BIN)/python -m pytest tests/test_article_recipes.py

# All three, each reporting every failure before the target fails. The article recipes train in
# the same session as the seeds run, while the chapters execute beside them.
robustness: $(INSTALLED)
	@status=0; NNBOOK_ARTICLE_RECIPES=1 $(BIN)/python -m pytest tests/test_article_recipes.py \
		notebooks --runs $(call quote,$(RUNS)) || status=1; \
	$(MAKE) --no-print-directory test-oldest || status=1; exit $$status

test-site: $(INSTALLED)
	$(BIN)/python -m pytest tests/test_website.py tests/test_jupyterlab.py -m browser

# The readers' and students' JupyterLab. nbgrader, a teacher's tool, is installed with the rest;
# tools/lab_config hides its menu, panels and server extensions here (book/teaching.md).
lab: $(INSTALLED)
	JUPYTER_CONFIG_PATH="$(CURDIR)/tools/lab_config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
		$(BIN)/jupyter lab notebooks

data: $(INSTALLED)
	$(BIN)/python -m helpers.datasets fetch

# Then the budgets (tools/running/budgets.py), which hold on the reference machine: a make bench result of
# commit 2b0985c run on this machine, saved as _build/bench-baseline.json, scales the times to it.
# They apply to a reader's Run All and to each chapter with its worked solutions (a build exercise's
# solution trains a model: it counts; the book's total is judged on the reader's run only); bench
# fails naming each chapter over its budget.
bench: $(INSTALLED)
	$(BIN)/python -m tools.running.bench --output _build/bench.json
	$(BIN)/python -m tools.running.budgets _build/bench.json $(if $(wildcard _build/bench-baseline.json),--baseline _build/bench-baseline.json)
	$(BIN)/python -m tools.running.bench --with-solutions --no-mnist-recipes --no-autograde --output _build/bench-solutions.json
	$(BIN)/python -m tools.running.budgets _build/bench-solutions.json $(if $(wildcard _build/bench-baseline.json),--baseline _build/bench-baseline.json)

# How far each checked number moves over training seeds (hours for the whole book; not in CI):
# writes spread/<chapter>.md, the evidence behind each band a check cell asserts.
SEEDS ?= 20
spread: $(INSTALLED)
	$(BIN)/python -m tools.running.spread --seeds $(call quote,$(SEEDS)) $(if $(CHAPTERS),--chapters $(call quote,$(CHAPTERS)))

student: $(INSTALLED)
	$(BIN)/python -m tools.course.student_copies --output-dir _build/student $(if $(FORCE),--force)

COURSE ?= _build/course
assignments: $(INSTALLED)
	$(BIN)/python -m tools.course.assignments --course-dir $(call quote,$(COURSE))

sync: $(INSTALLED)
	$(BIN)/python -m tools.chapters.sync $(if $(REF),--ref $(call quote,$(REF)))

lock: $(INSTALLED)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.10 \
		--custom-compile-command "make lock" --quiet -o requirements-lock.txt
	$(BIN)/uv pip compile pyproject.toml --extra test --resolution lowest-direct --universal \
		--python-version 3.10 --custom-compile-command "make lock" --quiet -o requirements-oldest.txt

clean:
	rm -rf _build $(OLDEST)
