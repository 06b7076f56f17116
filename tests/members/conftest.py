import pytest

from tests.members.factories import members_for, rule_set_with_rules


@pytest.fixture
def grid(world):
    """Village A with a rule set for 2026 and three party members (王甲明, its branch secretary, first)."""
    rule_set = rule_set_with_rules(world.village_a)
    members = [world.person_a.membership] + members_for(world.village_a, 2)
    return world, rule_set, members
