#!/bin/sh
# Installs what the tests and `make lint` drive besides Go, and fails loudly
# (non-zero, saying what is missing) when it cannot:
#
#   tmux                    end-to-end grid tests (the real binary in tmux)
#   python3-openpyxl        reading our xlsx with a reader that is not ours
#   openssh-client          serve tests (ssh, ssh-keygen)
#   lrzsz                   ZMODEM tests (Debian's rz and sz)
#   libreoffice-calc-nogui  .xls conversion and rendering workbooks (make look)
#   poppler-utils           PDF pages to PNG (pdftoppm, pdfinfo)
#   fonts-noto-cjk          Chinese glyphs in those renderings
#   staticcheck             the pinned version `make lint` runs (go install)
#
# Tests call /usr/bin/python3 (Debian's, where python3-openpyxl lands), whatever
# python3 comes first on PATH. Idempotent: checks first and does nothing when
# everything is present; runs apt-get update only when a package is missing.
# The Debian packages need root; staticcheck goes to $(go env GOPATH)/bin.
#
#   sh scripts/deps.sh               everything (make deps, make test)
#   sh scripts/deps.sh staticcheck   only the pinned staticcheck (make lint)
set -eu
case "${1:-all}" in
all | staticcheck) what=${1:-all} ;;
*)
	echo "usage: sh scripts/deps.sh [staticcheck]" >&2
	exit 2
	;;
esac

# staticcheck 2026.2.2 understands go 1.26; the version `make lint` checks for.
staticcheck_version=v0.8.2
staticcheck_release="2026.2.2 (0.8.2)"

fail() {
	echo "scripts/deps.sh: $*" >&2
	exit 1
}

need=""
add() {
	case " $need " in
	*" $1 "*) ;;
	*) need="$need $1" ;;
	esac
}

if [ "$what" = all ]; then
	command -v tmux >/dev/null 2>&1 || add tmux
	/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || add python3-openpyxl
	command -v ssh >/dev/null 2>&1 || add openssh-client
	command -v ssh-keygen >/dev/null 2>&1 || add openssh-client
	command -v rz >/dev/null 2>&1 || add lrzsz
	command -v sz >/dev/null 2>&1 || add lrzsz
	command -v soffice >/dev/null 2>&1 || add libreoffice-calc-nogui
	command -v pdftoppm >/dev/null 2>&1 || add poppler-utils
	command -v pdfinfo >/dev/null 2>&1 || add poppler-utils
	[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] ||
		fc-list ':lang=zh' 2>/dev/null | grep -qi 'Noto Sans CJK' || add fonts-noto-cjk
fi

if [ -n "$need" ]; then
	if [ "$(id -u)" != 0 ]; then
		fail "missing:$need; run it as root (or install these Debian packages) and run it again"
	fi
	command -v apt-get >/dev/null 2>&1 || fail "missing:$need, and there is no apt-get to install them with"
	echo "scripts/deps.sh: installing:$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null || fail "apt-get update failed"
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -qq --no-install-recommends $need >/dev/null || fail "apt-get install$need failed"
	/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || fail "/usr/bin/python3 still cannot import openpyxl"
	for tool in tmux ssh ssh-keygen rz sz soffice pdftoppm pdfinfo; do
		command -v "$tool" >/dev/null 2>&1 || fail "$tool is still missing after apt-get install"
	done
fi

command -v go >/dev/null 2>&1 || fail "go is not on PATH"
gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
if [ "$("$gobin/staticcheck" -version 2>/dev/null)" != "staticcheck $staticcheck_release" ]; then
	echo "scripts/deps.sh: installing staticcheck $staticcheck_version into $gobin" >&2
	GOFLAGS= go install "honnef.co/go/tools/cmd/staticcheck@$staticcheck_version" ||
		fail "go install honnef.co/go/tools/cmd/staticcheck@$staticcheck_version failed"
fi
