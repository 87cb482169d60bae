#!/bin/sh
# Installs what the tests drive besides Go: tmux (end-to-end grid tests),
# python3-openpyxl (reading our xlsx with a reader that is not ours) and
# openssh-client (serve tests). Tests call /usr/bin/python3: Debian's, where
# python3-openpyxl lands, whatever python3 comes first on PATH.. Idempotent: does nothing when all are present.
set -e
need=""
command -v tmux >/dev/null 2>&1 || need="$need tmux"
/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || need="$need python3-openpyxl"
command -v ssh >/dev/null 2>&1 || need="$need openssh-client"
command -v ssh-keygen >/dev/null 2>&1 || need="$need openssh-client"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "jibao tests need:$need (run as root or install them)" >&2
	exit 0
fi
echo "installing:$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq $need >/dev/null
