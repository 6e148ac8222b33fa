# upsynth — see README.md. Needs only Go and gcc (cgo, for tree-sitter).
GO       ?= go
BIN      := bin/upsynth
DEMO     ?= .demo
# The Go modules of this repository: upsynth itself and its update runtime,
# a module of its own so that emitted update packages build against a small
# module graph (see synth.RuntimeModule). Every go command runs in each.
MODULES  := . runtime
# Packages whose concurrency is checked with the race detector, per module.
RACE_ROOT    := ./analyze/...
RACE_RUNTIME := ./...
STATICCHECK_VERSION := v0.8.2
# go test's default 10-minute limit per package is too tight for the corpus
# verification (every update, both modes) on a loaded 2-core machine.
TESTFLAGS ?= -timeout 40m

.PHONY: all build test race demo bench lint fmt clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/upsynth

test:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	@for m in $(MODULES); do echo "go vet ($$m)"; $(GO) -C $$m vet ./... || exit 1; done
	@for m in $(MODULES); do $(GO) -C $$m test $(TESTFLAGS) ./... || exit 1; done
	$(MAKE) race

race:
	$(GO) -C runtime test $(TESTFLAGS) -race $(RACE_RUNTIME)
	$(GO) test $(TESTFLAGS) -race $(RACE_ROOT)

demo: build
	@scripts/demo.sh $(BIN) $(DEMO)

bench:
	@for m in $(MODULES); do $(GO) -C $$m test -run '^$$' -bench . -benchmem ./... || exit 1; done

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	@for m in $(MODULES); do $(GO) -C $$m vet ./... || exit 1; done
	@for m in $(MODULES); do $(GO) -C $$m run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./... || exit 1; done

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin $(DEMO)
