"""Reading the portal's PDFs in tests: their text, and the parts every official document carries."""
import io
import re

from pypdf import PdfReader


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages(data))


def assert_official_document(data: bytes, *, authority: str = "中共强基县委组织部", number: str = "") -> str:
    """The document's head, number line, sign-off block and page numbers are there; returns its text without
    whitespace (table cells wrap lines). `number` is a regular expression the document number must match."""
    pages = pdf_pages(data)
    for index, page in enumerate(pages, start=1):
        assert f"第 {index} 页 / 共 {len(pages)} 页" in page, (index, page[-200:])
    text = "".join("".join(pages).split())
    first = "".join(pages[0].split())
    assert first.startswith(authority), first[:80]
    found = re.search(r"编号：(\S+?号)", first)
    assert found, first[:200]
    assert re.fullmatch(number or r".+〔\d{4}〕\S+号", found.group(1)), found.group(1)
    last = "".join(pages[-1].split())
    for label in ("制表人：", "审核人：", "日期：", "（盖章）"):
        assert label in last, label
    return text
