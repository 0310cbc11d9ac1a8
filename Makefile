# The two commands a newcomer needs:  make book  and  make test.
# Both create the local environment first (.venv for Python, node_modules for Node).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help env book catalogs pdf test lab bench regen new-chapter clean

help:
	@echo "make book   build both editions: English into _build/html, Korean into _build/html/ko"
	@echo "make catalogs   update the Korean message catalogs (locales/ko/LC_MESSAGES) from the English text"
	@echo "make pdf    the PDF edition: _build/pdf/book.pdf, questions.pdf, questions-without-answers.pdf"
	@echo "make test   lint, unit tests, every lab re-run and compared, structure, strict build, browser checks"
	@echo "make lab    open the labs in JupyterLab"
	@echo "make bench  time the build, each lab and the test command"
	@echo "make regen LAB=labs/01-tcp-vs-udp.ipynb   rewrite one lab's stored outputs (then read the diff)"
	@echo "make new-chapter SLUG=dns-basics TITLE=\"DNS basics\"   scaffold a chapter, its questions, facts, lab, package and test"

env: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml package.json package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@command -v npm >/dev/null || { echo "npm (Node.js 18 or newer) is needed: apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(STAMP)

# Both editions, each strict (-W -n --keep-going); the Korean one reuses the English
# one's executed pages and drawn diagrams (tools/editions.py).
book: $(STAMP)
	$(BIN)/python tools/editions.py

catalogs: $(STAMP)
	$(BIN)/python tools/editions.py --catalogs

pdf: $(STAMP)
	$(BIN)/python tools/build_pdf.py

# Two runs. First everything but the built book, on four workers (its tests mostly wait:
# loopback timers, kernels, the scaffold's build; four on two cores took 254 s where two
# took 506 s). Then the book, on three workers: the first worker that needs it builds
# both editions at once (and the single page the PDF is printed from) while the others
# wait, then the browser checks of the site, the PDF edition and the practice page run
# at the same time, one group per worker (BROWSER_GROUPS in tests/conftest.py).
# Not all in one run: a lab's or a fuzz test's timing next to two builds and three
# browsers missed its deadlines.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -n 4 --dist worksteal -m "not book"
	$(BIN)/pytest -n 3 --dist loadgroup -m book

lab: $(STAMP)
	$(BIN)/jupyter lab labs/

bench: $(STAMP)
	$(BIN)/python tools/bench.py

regen: $(STAMP)
	@test -n "$(LAB)" || { echo "usage: make regen LAB=labs/NN-name.ipynb"; exit 2; }
	-$(BIN)/pytest tests/test_notebooks.py -k "$(basename $(notdir $(LAB)))" --nb-force-regen -q
	$(BIN)/pytest tests/test_notebooks.py -k "$(basename $(notdir $(LAB)))" -q
	git diff --stat -- $(LAB)

new-chapter: $(STAMP)
	@test -n "$(SLUG)" -a -n "$(TITLE)" || { echo 'usage: make new-chapter SLUG=dns-basics TITLE="DNS basics"'; exit 2; }
	$(BIN)/python tools/new_chapter.py "$(SLUG)" "$(TITLE)"

clean:
	rm -rf _build
