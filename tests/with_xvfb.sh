#!/usr/bin/env bash
# Runs a command under its own Xvfb server. -displayfd lets the server pick a free display and tell us which,
# so parallel runs never share (or race for) a display the way `xvfb-run -a` can. -noreset: by default the
# server resets whenever its last client disconnects, and a window opened during that reset fails.
set -euo pipefail
fifo=$(mktemp -u)
mkfifo "$fifo"
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp -noreset 3>"$fifo" 2>/dev/null &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null || true; rm -f "$fifo"' EXIT
read -r -t 20 display <"$fifo"
[ -n "$display" ] || { echo "with_xvfb: Xvfb did not start" >&2; exit 1; }
DISPLAY=":$display" "$@"
