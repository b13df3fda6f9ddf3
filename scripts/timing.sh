# Sourced by the test scripts: wall-clock and CPU time of a phase, for the stage summaries.
#   phase_start; ...; phase_end "build"   -> prints "build: 312 s wall, 598 s CPU (user+sys)"
# CPU time is that of the finished child processes (bash's `times`), which on a shared
# machine says more about the cost of a phase than the wall clock does.
_TIMES_FILE="$(mktemp)"
trap 'rm -f "$_TIMES_FILE" "$_TIMES_FILE.cpu"' EXIT
_children_cpu() {  # user+sys seconds of all finished children of this shell
  # `times` must run in this shell (a pipeline or $(...) would report a subshell's).
  times > "$_TIMES_FILE"
  awk 'NR == 2 {
    n = split($0, f, " "); s = 0
    for (i = 1; i <= n; i++) { split(f[i], p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] }
    printf "%d\n", s }' "$_TIMES_FILE"
}
phase_start() {
  _phase_wall=$(date +%s)
  _children_cpu > "$_TIMES_FILE.cpu"; read -r _phase_cpu < "$_TIMES_FILE.cpu"
}
phase_end() {  # phase_end NAME -> prints the line and sets PHASE_LINE
  local wall=$(( $(date +%s) - _phase_wall )) now
  _children_cpu > "$_TIMES_FILE.cpu"; read -r now < "$_TIMES_FILE.cpu"
  local cpu=$(( now - _phase_cpu ))
  PHASE_LINE="$1: ${wall} s wall, ${cpu} s CPU (user+sys)"
  echo "-- $PHASE_LINE"
}
