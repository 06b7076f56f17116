"""What makes a printed page an official document: who issues it (Issuer) and its number (DocumentNumber).

Kept apart from core.pdf (WeasyPrint) so models can name their issuer without loading the PDF engine.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

COUNTY_SUFFIXES = ("自治县", "县", "区", "市", "旗")


def derived_authority(county_name: str) -> str:
    """The issuing authority a county's documents carry unless its record names another: 中共强基县委组织部."""
    return _("CPC %(county)s Committee Organisation Department") % {"county": county_name}


def derived_prefix(county_name: str) -> str:
    """The authority's short mark in document numbers (机关代字): 强基县 → 强基组."""
    short = next((county_name[: -len(s)] for s in COUNTY_SUFFIXES if county_name.endswith(s) and
                  len(county_name) > len(s)), county_name)
    return _("%(short)s Org.") % {"short": short}


@dataclass(frozen=True)
class Issuer:
    """Who issues a document: the authority printed at its head and the mark that starts its number."""

    authority: str
    prefix: str

    @classmethod
    def for_county_name(cls, county_name: str) -> Issuer:
        return cls(derived_authority(county_name), derived_prefix(county_name))


@dataclass(frozen=True)
class DocumentNumber:
    """A document's number, stable for the same document: the kind (公示, 季报 ...), the year, a serial within the
    year (the month, the quarter; "" for a yearly document) and the org unit's code when the document is about one
    township or village. Printed as 强基组季报〔2026〕3号, 强基组公示〔2026〕11-101201号 or 强基组考评〔2026〕101号."""

    kind: str
    year: int
    serial: str | int
    unit_code: str = ""

    def format(self, prefix: str) -> str:
        # Unit codes begin with the county's 6-digit code; the rest tells the unit apart within the county.
        unit = self.unit_code[6:] or self.unit_code
        serial = "-".join(str(part) for part in (self.serial, unit) if part not in ("", None))
        return _("%(prefix)s%(kind)s [%(year)s] No. %(serial)s") % {
            "prefix": prefix, "kind": self.kind, "year": self.year, "serial": serial}


def default_issuer() -> Issuer:
    """The issuer when no county record applies: from the configured county name."""
    return Issuer.for_county_name(settings.QIANGJI_COUNTY_NAME)
