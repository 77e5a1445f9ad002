# Sourced by the other scripts: where tools and build outputs live.
# The cargo target dir and the tools are kept outside the clone (~/.cache/pli), so a fresh
# clone on a machine that already built Pli reuses compiled dependencies.
export PLI_CACHE=${PLI_CACHE:-$HOME/.cache/pli}
export PLI_TOOLS=$PLI_CACHE/tools
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PLI_CACHE/target}
export PATH=$HOME/.cargo/bin:$PATH:$PLI_CACHE/venv/bin
# Incremental compilation caches grow by gigabytes per build of the Leptos crates; off unless
# asked for.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
