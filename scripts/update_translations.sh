#!/usr/bin/env bash
# Refresh the Korean translations after the app's strings changed:
#   1. pyside6-lupdate collects every translate("Context", "text") in app/ into
#      translations/stridescope_ko.ts (new strings arrive unfinished; vanished ones go);
#   2. translate the unfinished ones (Qt Linguist: pyside6-linguist FILE, or any editor);
#   3. run this again: pyside6-lrelease compiles the .ts to resources/translations/*.qm.
# tests/app/test_translations.py fails while a string lacks its Korean or the .qm is stale.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=.venv/bin
mapfile -t sources < <(find app -name '*.py' | sort)
"$bin/pyside6-lupdate" -locations none -no-obsolete "${sources[@]}" -ts translations/stridescope_ko.ts
"$bin/pyside6-lrelease" -silent translations/stridescope_ko.ts \
    -qm resources/translations/stridescope_ko.qm
