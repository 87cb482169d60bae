#!/bin/sh
# make look: exports a filled sample report through the real binary, renders it
# with LibreOffice headless to PDF and with pdftoppm to one PNG per sheet, for a
# look by eye (not in CI: LibreOffice is slow and large).
#
#   sh scripts/look.sh [OUTDIR]      (default /tmp/jibao-look)
#
# scripts/deps.sh installs libreoffice-calc-nogui, poppler-utils and
# fonts-noto-cjk when missing, or says what is missing and stops.
set -e
cd "$(dirname "$0")/.."
out=${1:-/tmp/jibao-look}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# LibreOffice, poppler-utils and fonts-noto-cjk (fails when it cannot install).
sh scripts/deps.sh

bin="$out/jibao"
go build -o "$bin" ./cmd/jibao
rm -f "$out"/*.xlsx "$out"/*.pdf "$out"/*.png "$out/look.db"

# The sample report (export.Sample: complete, consistent made-up figures) comes
# from the export package's test hook; it goes in and out through the binary.
JIBAO_LOOK_DIR="$out" go test ./export -run '^TestLookSample$' -count=1 >/dev/null
export JIBAO_DB="$out/look.db" JIBAO_USER=look
mkdir -p "$out/in"
mv "$out"/*.xlsx "$out/in/"
mv "$out/in/"*季报表汇总.xlsx "$out/" # the summary of 63 units goes to the printer as written
"$bin" import "$out/in/南安-水头-2025Q3-季报表.xlsx" --period 2025Q3 --force
"$bin" export --variant nanan --unit 水头 --period 2025Q3 -o "$out/南安-水头-2025Q3-季报表.xlsx" --force
"$bin" export --template --variant quanzhou-edu -o "$out/泉州教育-空白.xlsx" --force

for f in "$out"/*.xlsx; do
	soffice -env:UserInstallation=file://"$out/lo-profile" --headless \
		--convert-to pdf --outdir "$out" "$f" >/dev/null 2>&1
done
# A workbook saved again by LibreOffice (as a clerk's office suite would) must
# read back to the same report.
mkdir -p "$out/resaved"
soffice -env:UserInstallation=file://"$out/lo-profile" --headless \
	--convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$out/resaved" \
	"$out/南安-水头-2025Q3-季报表.xlsx" >/dev/null 2>&1
"$bin" import "$out/resaved/南安-水头-2025Q3-季报表.xlsx" --period 2025Q3 --dry-run | tee "$out/resaved.txt"
grep -q 无变化 "$out/resaved.txt" || { echo "look.sh: the LibreOffice-saved workbook does not read back the same" >&2; exit 1; }
for p in "$out"/*.pdf; do
	pdftoppm -r 80 -png "$p" "${p%.pdf}"
done
ls -1 "$out"/*.png
