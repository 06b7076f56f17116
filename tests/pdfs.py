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


def pdf_link_uris(data: bytes) -> list[str]:
    """The addresses of the PDF's link annotations (an <a href> that WeasyPrint wrote), page by page."""
    uris = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/URI"):
                uris.append(str(action["/URI"]))
    return uris


def pdf_qr_codes(data: bytes) -> list[str] | None:
    """The QR codes printed on the PDF, read with zbarimg (Debian's zbar-tools) from each page rendered at 150 dpi;
    None when zbarimg or pdftoppm is not installed (the caller then relies on the link the PDF encodes)."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(data)
        subprocess.run(["pdftoppm", "-png", "-r", "150", str(source), str(Path(tmp) / "page")], check=True)
        found = subprocess.run(["zbarimg", "--quiet", "--raw", *sorted(str(p) for p in Path(tmp).glob("page*.png"))],
                               capture_output=True, text=True)
    return [line for line in found.stdout.splitlines() if line.strip()]
