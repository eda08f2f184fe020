"""What axe alone cannot see: the contrast of each control when hovered, focused and pressed, and
the size of every tap target on a phone. On every public page, in a real browser."""

from typing import Any

import pytest
from playwright.sync_api import Page

from testing.liveserver import PUBLIC_PATHS

pytestmark = pytest.mark.browser

CONTROLS = "a[href], button, summary, label.button, input[type=submit]"
# (name, forced pseudo-classes): Chromium's DevTools protocol forces :hover/:focus/:active, so
# every state of every kind of control is measured without clicking it (which would leave).
STATES = [
    ("resting", []),
    ("hover", ["hover"]),
    ("focus", ["focus", "focus-visible"]),
    ("pressed", ["active", "hover", "focus", "focus-visible"]),
]
MIN_TAP = 44

# The text and background of an element, with the background taken from the first ancestor that
# paints one; font size and weight decide whether the 3:1 "large text" threshold applies.
COLOURS_JS = """
el => {
  const s = getComputedStyle(el);
  let bg = null;
  for (let n = el; n; n = n.parentElement) {
    const c = getComputedStyle(n).backgroundColor;
    if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; }
  }
  return {fg: s.color, bg: bg || 'rgb(255, 255, 255)', size: parseFloat(s.fontSize),
          weight: parseInt(s.fontWeight, 10)};
}
"""


def _rgb(colour: str) -> tuple[float, ...]:
    inside = colour[colour.index("(") + 1 : colour.index(")")]
    parts = [float(p) for p in inside.replace("/", ",").replace(" ", ",").split(",") if p]
    return tuple(parts[:3])


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(_rgb(fg)), _luminance(_rgb(bg))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_contrast_is_computed_as_wcag_does():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    assert round(contrast("rgb(27, 31, 36)", "rgb(11, 55, 64)"), 1) < 2  # the old pressed state


def _representatives(page: Page) -> int:
    """Mark one control of each kind (tag, classes, parent's classes) and return how many."""
    return int(
        page.evaluate(
            """sel => {
                const seen = new Set(); let n = 0;
                for (const el of document.querySelectorAll(sel)) {
                  if (!el.checkVisibility({checkVisibilityCSS: true})) continue;
                  const around = el.closest(
                    'header, footer, nav, .exit, .panel, .urgent, .card, .demo-banner');
                  const kind = [el.tagName, el.className, el.parentElement.className,
                                around ? around.className : ''].join('|');
                  if (seen.has(kind)) continue;
                  seen.add(kind); el.dataset.probe = String(n++);
                }
                return n;
            }""",
            CONTROLS,
        )
    )


def _check_states(page: Page, where: str) -> list[str]:
    count = _representatives(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    failures = []
    for i in range(count):
        (node,) = cdp.send(
            "DOM.querySelectorAll", {"nodeId": root, "selector": f'[data-probe="{i}"]'}
        )["nodeIds"]
        element = page.locator(f'[data-probe="{i}"]')
        label = element.evaluate("e => e.outerHTML.slice(0, 90)")
        for state, forced in STATES:
            cdp.send("CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": forced})
            c: dict[str, Any] = element.evaluate(COLOURS_JS)
            large = c["size"] >= 24 or (c["size"] >= 18.66 and c["weight"] >= 700)
            ratio = contrast(c["fg"], c["bg"])
            if ratio < (3 if large else 4.5):
                failures.append(f"{where} {state} {ratio:.2f} {c['fg']} on {c['bg']}: {label}")
        cdp.send("CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": []})
    cdp.detach()
    return failures


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_control_keeps_its_contrast_when_hovered_focused_and_pressed(
    page: Page, site_url: str, path: str
):
    page.goto(site_url + path)
    assert _check_states(page, path) == []


def test_the_999_step_and_the_self_checks_buttons_keep_their_contrast(page: Page, site_url: str):
    page.goto(site_url + "/self-check/me/")
    failures = _check_states(page, "question")
    page.locator("#me-danger-now-yes").check()
    failures += _check_states(page, "999 step")
    page.goto(site_url + "/tell-someone/")
    page.get_by_label("Someone is in danger right now").check()
    failures += _check_states(page, "tell someone 999 step")
    assert failures == []


# A target is too small unless it is a link inside a sentence (WCAG 2.5.8's inline exception: it
# cannot grow without breaking the text). A card's title link is measured as the card it fills.
TAP_JS = """
sel => {
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.checkVisibility({checkVisibilityCSS: true})) continue;
    let box = el;
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      box = document.querySelector(`label[for="${el.id}"]`) || el;
    } else if (el.matches('.card__link')) {
      box = el.closest('.card');
    } else if (el.matches('.danger-step__ack')) {
      continue;  // the visible target is its label, measured as label.button
    }
    if (el.tagName === 'A') {
      const block = el.closest('p, li, dd, dt, td, h1, h2, h3, h4, div') || el.parentElement;
      const copy = block.cloneNode(true);
      copy.querySelectorAll('a').forEach(a => a.remove());
      const text = copy.textContent.replace(/[\\s·|,.:()]/g, '');
      if (text.length > 0 && !block.matches('li.card, .buttons, .contact__ways li')) continue;
    }
    const r = box.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    if (r.width < MIN - 0.5 || r.height < MIN - 0.5) {
      out.push(`${Math.round(r.width)}x${Math.round(r.height)} ${el.outerHTML.slice(0, 90)}`);
    }
  }
  return out;
}
""".replace("MIN", str(MIN_TAP))


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_tap_target_is_at_least_44_pixels_square_on_a_phone(
    page: Page, site_url: str, path: str
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + path)
    selector = "a[href], button, summary, input:not([type=hidden]), select, textarea, label.button"
    assert page.evaluate(TAP_JS, selector) == []


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_nothing_runs_off_the_side_at_320_pixels(page: Page, site_url: str, path: str):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
