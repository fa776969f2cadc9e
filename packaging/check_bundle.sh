#!/usr/bin/env bash
# Check a portable build the way a town-office PC gets it: copied into a fresh folder whose path
# has Japanese names, run with an empty environment (env -i: no venv, no PYTHONPATH, HOME in
# another fresh folder). It must convert a sample to PDF, xlsx, pptx and html, and open the
# editor window offscreen (a screenshot of it). Nothing may be written beside the executable.
#   packaging/check_bundle.sh dist/dxroadmap
set -euo pipefail
bundle=$(cd "${1:?usage: check_bundle.sh BUNDLE_DIR}" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
app="$work/ポータブル版/dxroadmap"
mkdir -p "$work/ポータブル版" "$work/ホーム" "$work/出力"
cp -a "$bundle" "$app"
cp "$repo/samples/matsumae.json" "$work/出力/松前町.json"
before=$(cd "$app" && find . | sort | md5sum)
run() {  # an empty environment but for HOME (elsewhere), the offscreen Qt platform and a UTF-8 locale
  env -i HOME="$work/ホーム" QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 "$@"
}
cd "$work/出力"
run "$app/dxroadmap-cli" --help >/dev/null
run "$app/dxroadmap-cli" info 松前町.json | grep -q "initiatives: 14"
for ext in pdf xlsx pptx html; do
  run "$app/dxroadmap-cli" convert 松前町.json "ロードマップ.$ext"
  [ -s "ロードマップ.$ext" ] || { echo "check_bundle: no ロードマップ.$ext" >&2; exit 1; }
done
head -c 5 ロードマップ.pdf | grep -q "%PDF-"
run "$app/dxroadmap-cli" convert ロードマップ.xlsx 読み直し.json  # the workbook reads back
run "$app/dxroadmap" --screenshot 松前町.json 画面.png
[ -s 画面.png ] || { echo "check_bundle: the window did not open" >&2; exit 1; }
[ -z "${CHECK_BUNDLE_SHOT:-}" ] || cp 画面.png "$CHECK_BUNDLE_SHOT"
after=$(cd "$app" && find . | sort | md5sum)
[ "$before" = "$after" ] || { echo "check_bundle: the bundle folder changed while running" >&2; exit 1; }
echo "check_bundle: ok ($(du -sm "$bundle" | cut -f1) MB; pdf, xlsx, pptx, html and the window from $app)"
