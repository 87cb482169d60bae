# jibao — make targets. `make run` starts the workstation on the default store;
# `make test` is what CI runs.
GO      ?= go
BIN     ?= bin/jibao
export GOFLAGS ?= -mod=mod

.PHONY: all build run test test-short race bench lint e2e deps look clean bytes

all: build

build:
	$(GO) build -o $(BIN) ./cmd/jibao

run: build
	./$(BIN)

# Tests need tmux and python3-openpyxl for the end-to-end checks; deps installs them.
test: deps build
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

test-short:
	$(GO) test -short -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (echo "gofmt needed:"; gofmt -l .; exit 1)

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
