"""The public notice's QR code (segno): an inline SVG, so neither the page nor the PDF fetches anything for it."""
from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, scale: int = 4) -> SafeString:
    # segno writes only the code's path and size attributes from the URL's bits: nothing of the text is echoed.
    return mark_safe(segno.make(url, error="m", micro=False).svg_inline(scale=scale, dark="#000", light="#fff"))
