"""Make the phone numbers written in a text tappable: "call 0800 1111" becomes a tel: link."""

import re

# UK numbers as our texts write them: 999, 101, 116 000, 0800 1111, 0808 800 5000,
# 0808 1000 900, 01632 960 000. Longest groupings first, so that "0808 1000 900" is one number
# and not "0808 1000" followed by a stray "900".
NUMBER = re.compile(
    r"(?<![\w/#£.-])(999|101|116 ?\d{3}|0\d{4} ?\d{3} ?\d{3}|0\d{3} ?\d{4} ?\d{3}"
    r"|0\d{3} ?\d{3} ?\d{3,4}|0\d{3} ?\d{4})(?![\w%£-])"
)
TAG = re.compile(r"(<[^>]+>)")


def link_phone_numbers(html: str) -> str:
    """Wrap each phone number in the HTML's text in a tel: link; existing links are left alone."""
    out = []
    in_link = 0
    for part in TAG.split(html):
        if TAG.fullmatch(part):
            name = part[1:].split()[0].rstrip(">").lower() if len(part) > 2 else ""
            if name == "a":
                in_link += 1
            elif name == "/a":
                in_link = max(in_link - 1, 0)
            out.append(part)
        elif in_link:
            out.append(part)
        else:
            out.append(
                NUMBER.sub(lambda m: f'<a href="tel:{m[1].replace(" ", "")}">{m[1]}</a>', part)
            )
    return "".join(out)
