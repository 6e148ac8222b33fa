# upsynth — see README.md. Needs only Go and gcc (cgo, for tree-sitter).
GO       ?= go
BIN      := bin/upsynth
DEMO     ?= .demo
# Packages whose concurrency is checked with the race detector.
RACE_PKGS := ./runtime/... ./analyze/...
STATICCHECK_VERSION := v0.8.2

.PHONY: all build test race demo bench lint fmt clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/upsynth

test:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test ./...
	$(MAKE) race

race:
	@pkgs=$$($(GO) list $(RACE_PKGS) 2>/dev/null); \
	  if [ -n "$$pkgs" ]; then $(GO) test -race $$pkgs; else echo "race: no packages yet"; fi

demo: build
	@scripts/demo.sh $(BIN) $(DEMO)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin $(DEMO)
