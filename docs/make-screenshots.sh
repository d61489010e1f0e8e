#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png with the app's own screenshot option, under Xvfb at 1600x1000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/build.sh >/dev/null
cfg=$(mktemp -d)
xvfb-run -a -s "-screen 0 1600x1000x24" ./build/app/attention-lab --config-dir "$cfg" --no-mouse --size 1600x1000 \
  --script docs/screenshots.json
# Presenter mode at a projector's two usual sizes (docs/screenshots/presenter-*.png).
for size in 1280x720 1920x1080; do
  xvfb-run -a -s "-screen 0 1920x1080x24" ./build/app/attention-lab --config-dir "$cfg" --no-mouse --size "$size" \
    --script "docs/screenshots-presenter-$size.json"
done
# The spotlight needs a hovered cell: Xvfb puts the pointer at its screen's centre, so a 432x716 screen puts it at
# (216, 358), on a cell of the first heatmap of the 1920x1080 window (which extends past that screen; GL still draws it).
xvfb-run -a -s "-screen 0 432x716x24" ./build/app/attention-lab --config-dir "$cfg" --size 1920x1080 \
  --script docs/screenshots-presenter-spotlight.json
rm -rf "$cfg"
ls docs/screenshots
