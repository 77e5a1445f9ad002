#!/usr/bin/env bash
# Copies the `pli` binary just built into this checkout (target/bin/pli-PROFILE) and prints its
# path:   scripts/own-binary.sh debug|release
# The cargo target directory is shared by every clone on the machine (scripts/env.sh): the
# binary there is whichever checkout built it last. Each workspace crate reads PLI_CHECKOUT, so
# cargo rebuilt ours if another clone had built it; the dep-info rustc wrote with the binary
# names the checkout it was compiled from.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
profile=${1:?usage: own-binary.sh debug|release}
root=$(pwd -P)
built="$CARGO_TARGET_DIR/$profile/pli"
# cargo hard-links $built to deps/pli-HASH, next to which rustc wrote deps/pli-HASH.d.
compiled=$(find "$CARGO_TARGET_DIR/$profile/deps" -maxdepth 1 -name 'pli-*' -samefile "$built" 2>/dev/null | head -n1 || true)
depinfo=${compiled:+$compiled.d}
if [ -z "$depinfo" ] || ! grep -qxF "# env-dep:PLI_CHECKOUT=$root/" "$depinfo" 2>/dev/null; then
  echo "own-binary: $built was not built from $root (${depinfo:-no dep-info}): run cargo build -p server here" >&2
  exit 1
fi
mkdir -p target/bin
cp "$built" "target/bin/pli-$profile.tmp"
mv "target/bin/pli-$profile.tmp" "target/bin/pli-$profile"
echo "$root/target/bin/pli-$profile"
