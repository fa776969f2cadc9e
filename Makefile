# make run  — install everything and open the editor on the 松前町 sample plan
# make test — install everything and run the whole test suite headless
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEBS   := fonts-noto-cjk libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
          libfreetype6 libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
          libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1 \
          libxrender1 libxi6 libsm6 libice6 python3-venv

.PHONY: run test deps venv bench clean

deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  missing=$$(for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	else \
	  for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo "missing Debian package: $$p (sudo apt-get install $(DEBS))"; done; \
	fi

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

venv: deps $(BIN)/activate
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"

run: venv
	$(BIN)/dxroadmap samples/matsumae.json

test: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: venv
	for b in benchmarks/*.py; do QT_QPA_PLATFORM=offscreen $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
