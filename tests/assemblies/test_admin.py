import pytest
from django.urls import reverse

from .factories import FilingFactory, HouseholdFactory, MatterFactory, ModelVillageFactory

pytestmark = pytest.mark.django_db

MODELS = ["household", "representativechange", "discussionpoint", "speakerpilot", "meeting", "matter", "followup",
          "inspection", "modelvillage", "filing"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_render(world, client_for, model):
    HouseholdFactory(village=world.village_a)
    MatterFactory(meeting__village=world.village_a)
    ModelVillageFactory(village=world.village_a)
    FilingFactory(township=world.township_a)
    r = client_for(world.users["admin"]).get(reverse(f"admin:assemblies_{model}_changelist"))
    assert r.status_code == 200


def test_filings_are_read_only_in_the_admin(world, client_for):
    filing = FilingFactory(township=world.township_a)
    client = client_for(world.users["admin"])
    assert client.get(reverse("admin:assemblies_filing_add")).status_code == 403
    client.post(reverse("admin:assemblies_filing_change", args=[filing.pk]), {"year": 2020})
    filing.refresh_from_db()
    assert filing.year == 2026
