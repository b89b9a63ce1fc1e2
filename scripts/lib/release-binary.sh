# Sourced by the benchmark scripts: the release build of `make release` (static Swift runtime,
# position-dependent executable), the binary the figures in Docs/Benchmarks.md are measured on.
# Usage: callprep="$(release_binary LOG)" — builds (output to LOG, shown on failure) and prints
# the binary's path.
release_flags=(-c release --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie)

release_binary() {
  local log=$1
  swift build "${release_flags[@]}" --product callprep >"$log" 2>&1 || { cat "$log" >&2; return 1; }
  echo "$(swift build "${release_flags[@]}" --show-bin-path)/callprep"
}
