"""Arbitrary bytes uploaded to every Excel import (preview and confirm): never a 500, never a row written."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assemblies.models import Household
from members.models import MonthlyResult, PartyMember
from tests.members.factories import rule_set_with_rules


def _zip_with(payload: bytes) -> bytes:
    """A zip that claims to be a workbook: what a truncated or mislabelled .xlsx looks like."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", payload)
        z.writestr("xl/workbook.xml", payload[::-1])
    return out.getvalue()


uploads = st.one_of(st.binary(max_size=2048), st.binary(max_size=512).map(_zip_with))


def _counts():
    return (MonthlyResult.objects.count(), PartyMember.objects.count(), Household.objects.count())


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=uploads, confirm=st.booleans())
def test_imports_survive_arbitrary_files(world, client_for, data, confirm):
    if "rule_set" not in world.extra:
        world.extra["rule_set"] = rule_set_with_rules(world.village_a)
    client = client_for(world.users["township_a"])
    before = _counts()
    targets = [
        reverse("members:monthlyreview_import", args=[world.village_a.code, "2026-05"]),
        reverse("members:partymember_import"),
        reverse("assemblies:household_import"),
    ]
    for url in targets:
        post = {"file": SimpleUploadedFile("upload.xlsx", data)}
        if confirm:
            post["confirm"] = "1"
        response = client.post(url, post)
        assert response.status_code in (200, 302), (url, response.status_code)
    assert _counts() == before
