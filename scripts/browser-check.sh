#!/usr/bin/env bash
# Opens study reports in headless Chromium and fails when a page logs a
# console error or a figure did not render.
#
#   scripts/browser-check.sh DIR [DIR ...]
#
# For each DIR, checks DIR/index.html and every DIR/*/index.html (so the
# output folder of `oncomark demo`, holding one report per study, checks
# both studies). For each page it:
#
#   1. loads the page alone with console logging on (--enable-logging=stderr)
#      and fails on any console message of level error or warning (a blocked
#      request, which the page's Content-Security-Policy turns into a console
#      error, included);
#   2. loads the page in an iframe of a small probe page that reads the
#      rendered document (same-origin file access) and fails unless the
#      number of <svg> panels in the page's figures equals the number the
#      page declares (<main data-svg-panels>), and every one of them has a
#      non-empty rendered box and non-empty drawn content (getBBox);
#   3. saves a full-page screenshot next to the page: DIR/screenshot.png.
#
# Needs /usr/bin/chromium (Debian: apt-get install -y chromium) or
# CHROMIUM=/path/to/chromium; installs nothing. Exit status: 0 all pages
# pass, 1 a check failed, 2 usage or missing browser.
set -euo pipefail

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ $# -lt 1 ]; then
    echo "usage: $0 DIR [DIR ...]   (folders holding index.html)" >&2
    exit 2
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "error: $CHROMIUM not found; install it first (apt-get install -y chromium)" >&2
    exit 2
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# every Chromium run gets a fresh profile and no network side traffic
chrome() {
    local profile
    profile=$(mktemp -d "$WORK/profile.XXXXXX")
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --disable-default-apps --disable-extensions \
        --user-data-dir="$profile" "$@"
}

pages=()
for dir in "$@"; do
    if [ ! -d "$dir" ]; then
        echo "error: $dir is not a folder" >&2
        exit 2
    fi
    found=0
    for p in "$dir/index.html" "$dir"/*/index.html; do
        if [ -f "$p" ]; then
            pages+=("$(cd "$(dirname "$p")" && pwd)/index.html")
            found=1
        fi
    done
    if [ "$found" = 0 ]; then
        echo "error: no index.html in $dir or its subfolders" >&2
        exit 2
    fi
done

failed=0
for page in "${pages[@]}"; do
    here=$(dirname "$page")
    echo "== $page"

    # 1. console messages of the page alone
    log="$WORK/console.log"
    chrome --enable-logging=stderr --v=0 --virtual-time-budget=5000 \
        --dump-dom "file://$page" >"$WORK/dom.html" 2>"$log" || true
    if ! grep -q "</html>" "$WORK/dom.html"; then
        echo "FAIL: Chromium did not load the page (see its log below)"
        tail -20 "$log"
        failed=1
        continue
    fi
    # Chromium logs page console messages as
    #   [..:INFO:CONSOLE(line)] "message", source: URL (line)
    # with the level in the tag (INFO:CONSOLE for log, WARNING:CONSOLE,
    # ERROR:CONSOLE) depending on the version; CSP violations and failed
    # loads are console errors.
    console=$(grep -E ':CONSOLE[(:]|console' "$log" | grep -viE 'DevTools listening' || true)
    bad_console=$(printf '%s\n' "$console" | grep -iE 'error|warn|refused|violat|failed|blocked' || true)
    if [ -n "$bad_console" ]; then
        echo "FAIL: console errors:"
        printf '  %s\n' "$bad_console"
        failed=1
    else
        echo "ok: no console error"
    fi

    # 2. rendered figures, read by a probe page through an iframe
    probe="$WORK/probe.html"
    cat >"$probe" <<EOF
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>probe</title></head>
<body>
<iframe id="report" src="file://$page" style="width:1280px;height:900px;border:0"></iframe>
<pre id="result">pending</pre>
<script>
window.addEventListener("load", function () {
  var out = document.getElementById("result");
  var doc;
  try { doc = document.getElementById("report").contentDocument; } catch (e) { doc = null; }
  if (!doc || !doc.querySelector("main")) { out.textContent = "RESULT no-access"; return; }
  var main = doc.querySelector("main");
  var declared = parseInt(main.getAttribute("data-svg-panels") || "-1", 10);
  var svgs = doc.querySelectorAll("figure[data-figure] svg");
  var empty = [];
  for (var i = 0; i < svgs.length; i++) {
    var s = svgs[i], r = s.getBoundingClientRect(), b = { width: 0, height: 0 };
    try { b = s.getBBox(); } catch (e) {}
    var texts = s.querySelectorAll("text"), drawnText = 0;
    for (var j = 0; j < texts.length; j++) {
      try { if (texts[j].getComputedTextLength() > 0) drawnText++; } catch (e) {}
    }
    if (!(r.width > 0 && r.height > 0 && b.width > 0 && b.height > 0) ||
        (texts.length > 0 && drawnText == 0)) {
      var fig = s.closest("figure");
      empty.push(fig ? fig.getAttribute("data-figure") : "?");
    }
  }
  out.textContent = "RESULT declared=" + declared + " found=" + svgs.length +
    " empty=" + empty.length + " [" + empty.join(",") + "] height=" +
    doc.documentElement.scrollHeight;
});
</script>
</body></html>
EOF
    chrome --allow-file-access-from-files --virtual-time-budget=10000 \
        --dump-dom "file://$probe" >"$WORK/probe-dom.html" 2>"$WORK/probe.log" || true
    result=$(grep -oE 'RESULT (declared=-?[0-9]+ found=[0-9]+ empty=[0-9]+ \[[^]]*\] height=[0-9]+|no-access)' \
        "$WORK/probe-dom.html" | head -1 || true)
    result=${result:-"RESULT none"}
    declared=$(sed -n 's/.*declared=\(-\{0,1\}[0-9]*\).*/\1/p' <<<"$result")
    found=$(sed -n 's/.*found=\([0-9]*\).*/\1/p' <<<"$result")
    empty=$(sed -n 's/.*empty=\([0-9]*\).*/\1/p' <<<"$result")
    if [ -z "$declared" ] || [ -z "$found" ] || [ -z "$empty" ]; then
        echo "FAIL: the probe could not read the rendered page ($result)"
        failed=1
    elif [ "$declared" -lt 1 ] || [ "$declared" != "$found" ] || [ "$empty" != 0 ]; then
        echo "FAIL: figures: $result"
        failed=1
    else
        echo "ok: $found of $declared figure panels rendered with content"
    fi

    # 3. full-page screenshot, the window as tall as the page (as the probe
    # measured it at this width)
    height=$(sed -n 's/.*height=\([0-9]*\).*/\1/p' <<<"$result")
    height=${height:-8000}
    [ "$height" -lt 800 ] && height=800
    [ "$height" -gt 60000 ] && height=60000
    chrome --hide-scrollbars --window-size=1280,"$height" --virtual-time-budget=5000 \
        --screenshot="$here/screenshot.png" "file://$page" >/dev/null 2>&1 || true
    if [ -s "$here/screenshot.png" ]; then
        echo "ok: screenshot $here/screenshot.png"
    else
        echo "FAIL: no screenshot"
        failed=1
    fi
done

if [ "$failed" != 0 ]; then
    echo "browser check FAILED"
    exit 1
fi
echo "browser check passed (${#pages[@]} page(s))"
