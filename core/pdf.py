"""PDF rendering with WeasyPrint: A4, the portal's own Chinese font, and nothing fetched but our static files.

Every PDF is an official document in one layout: it renders a template extending "core/reports/pdf_base.html"
through render_pdf(), which prints the issuing authority (an Issuer, from the county record), the title, the document
number line (a DocumentNumber), the content, the 制表人 / 审核人 / 日期 / (盖章) block and "第 N 页 / 共 M 页" on every
page. html_to_pdf() turns any finished HTML document into a PDF. Any URL in the document other
than the portal's static files (file://, another host, a path outside /static/) is refused by PortalURLFetcher,
so text staff typed that contains an <img> or a stylesheet link renders without it.
"""
from __future__ import annotations

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.documents import DocumentNumber, Issuer, default_issuer

# The document's base URL: a name that resolves nowhere, so only our fetcher can answer for it.
BASE_URL = "https://qiangji.invalid/"
FONT_FAMILY = "Noto Sans SC"  # static/vendor/noto-sans-sc-2.004, SIL Open Font License 1.1


class PortalURLFetcher(URLFetcher):
    """Serves /static/… from the portal's static files; refuses every other URL (and records it)."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=["https"], **kwargs)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        static_prefix = urlsplit(BASE_URL).path + settings.STATIC_URL.lstrip("/")
        path = posixpath.normpath(unquote(parts.path))
        if (
            f"{parts.scheme}://{parts.netloc}/" != BASE_URL
            or not (path + "/").startswith(static_prefix)
            or ".." in parts.path
        ):
            self.refused.append(url)
            raise ValueError(f"refused by the portal's PDF URL fetcher: {url}")
        relative = path[len(static_prefix):]
        found = finders.find(relative)
        if not found:
            self.refused.append(url)
            raise ValueError(f"no such static file: {relative}")
        self.served.append(url)
        mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
        with open(found, "rb") as f:
            body = f.read()
        return URLFetcherResponse(url, body, {"Content-Type": mime}, 200)


def html_to_pdf(html: str, *, fetcher: PortalURLFetcher | None = None) -> bytes:
    """The PDF of a whole HTML document; /static/… URLs in it resolve through the portal's fetcher only."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or PortalURLFetcher()).write_pdf()


def render_pdf(template_name: str, context: dict, *, issuer: Issuer | None = None,
               number: DocumentNumber | None = None, prepared_by: str = "", request=None,
               fetcher: PortalURLFetcher | None = None) -> bytes:
    """An official document: `context` fills the template's title and content; the layout adds the issuer, the
    number, the sign-off block (制表人 is `prepared_by`, 日期 the context's generated_on) and the page numbers."""
    issuer = issuer or default_issuer()
    html = render_to_string(template_name, {
        "county_name": settings.QIANGJI_COUNTY_NAME, "generated_on": timezone.localdate(), **context,
        "issuer": issuer, "document_number": number.format(issuer.prefix) if number else "",
        "prepared_by": prepared_by,
    }, request=request)
    return html_to_pdf(html, fetcher=fetcher)


def pdf_response(body: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser (to print), saved under `filename` (.pdf) when the user keeps it."""
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response
