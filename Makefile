# jibao — make targets. `make run` starts the workstation on the default store;
# `make test` is what CI runs: lint, then every test under the race detector.
GO      ?= go
BIN     ?= bin/jibao
# The pinned staticcheck that scripts/deps.sh installs (go install puts it here).
STATICCHECK ?= $(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)/staticcheck

.PHONY: all build run test test-short bench bytes lint deps look clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/jibao

run: build
	./$(BIN)

# The end-to-end tests drive tmux, OpenSSH, rz/sz, openpyxl and LibreOffice; deps
# installs them (or fails saying what is missing), and a missing one fails its
# test. JIBAO_SKIP_E2E=1 leaves those tests out on purpose.
test: deps lint build
	$(GO) test -race -count=1 ./...

test-short:
	$(GO) test -short -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Fails on an untidy go.mod, unformatted code, go vet or staticcheck; changes
# nothing (but installs the pinned staticcheck when it is missing).
lint:
	@sh scripts/deps.sh staticcheck
	$(GO) mod tidy -diff
	@test -z "$$(gofmt -l .)" || (echo "gofmt needed:"; gofmt -l .; exit 1)
	$(GO) vet ./...
	$(STATICCHECK) ./...

# Bytes written to the terminal per key, measured on the real binary in a pty
# (internal/ptybytes): the README's table, with sc and visidata when installed.
bytes: build
	$(GO) run ./internal/ptybytes/table -bin $(BIN)

deps:
	@sh scripts/deps.sh

# Renders an export through LibreOffice to PNG for a look by eye (not in CI: slow).
look: build
	@sh scripts/look.sh

clean:
	rm -rf bin
