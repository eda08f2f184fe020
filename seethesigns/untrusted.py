"""Read values that come from a visitor's address bar or form, never trusting their shape."""


def small_number(text: str) -> int | None:
    """Return a short run of ASCII digits as a number, anything else as None."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else None
