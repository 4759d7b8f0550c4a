#!/usr/bin/env bash
# Make sure the Debian/Ubuntu packages that Qt needs are installed.
#
#   scripts/ensure_system_packages.sh          what offscreen Qt (tests, render) needs
#   scripts/ensure_system_packages.sh --gui    also X11/xcb libraries when a display is set
#
# Installs missing packages with apt-get when run as root or when sudo works without a
# password; otherwise prints the exact apt-get line and exits 1. Without dpkg (not
# Debian/Ubuntu) it says so and exits 0.
set -euo pipefail

# "a|b": either name satisfies the need (Ubuntu 24.04 renamed some libraries to *t64).
offscreen_packages=(
    libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6
    "libglib2.0-0|libglib2.0-0t64" libxkbcommon0
    fonts-nanum  # Korean text renders as boxes without a CJK font
)
xcb_packages=(
    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libx11-xcb1 libxcb-shm0
    libxcb-sync1 libxcb-xfixes0
)

wanted=("${offscreen_packages[@]}")
if [[ "${1:-}" == "--gui" && -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
    wanted+=("${xcb_packages[@]}")
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "note: no dpkg here, so Qt's system libraries are not checked;" \
         "install the equivalents of: ${wanted[*]//|/ or }" >&2
    exit 0
fi

# python3 -m venv needs ensurepip, which Debian ships separately in python3-venv.
if [[ ! -x .venv/bin/python ]] && ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
    wanted+=(python3-venv)
fi

is_installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

# Among "a|b", the first name apt knows a real (not purely virtual) package for.
installable_name() {
    local name
    IFS='|' read -r -a names <<<"$1"
    for name in "${names[@]}"; do
        if apt-cache show --no-all-versions "$name" >/dev/null 2>&1; then
            echo "$name"
            return
        fi
    done
    echo "${names[0]}"
}

missing=()
for need in "${wanted[@]}"; do
    satisfied=false
    IFS='|' read -r -a names <<<"$need"
    for name in "${names[@]}"; do
        if is_installed "$name"; then satisfied=true; break; fi
    done
    $satisfied || missing+=("$need")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    as_root=(sudo -n)
else
    names=()
    for need in "${missing[@]}"; do names+=("$(installable_name "$need")"); done
    echo "Qt needs system packages that are missing. Install them, then run make again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y ${names[*]}" >&2
    exit 1
fi

echo "Installing system packages for Qt: ${missing[*]//|/ or }"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
names=()
for need in "${missing[@]}"; do names+=("$(installable_name "$need")"); done
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${names[@]}"
