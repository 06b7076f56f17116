"""Helpers of the batch review tests (tests/<app>/test_batch_review.py): post a batch step as the list page does,
read the messages the list page then shows."""
from __future__ import annotations

from django.urls import reverse


def batch_post(client, route: str, ids, *, step: str = "accept", confirm: bool = True, reason: str = "",
               back: str = ""):
    """POST the selected ids to the batch URL (confirmed unless confirm=False) and follow to the page shown."""
    data = {"ids": [str(i) for i in ids], "step": step, "reason": reason}
    if confirm:
        data["confirm"] = "1"
    if back:
        data["next"] = back
    return client.post(reverse(route), data, follow=True)


def shown_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def accepts_in_history(obj) -> int:
    """How many times the audit trail recorded this period becoming accepted."""
    rows = list(type(obj).history.filter(id=obj.pk).order_by("history_date", "history_id").values_list("status",
                                                                                                          flat=True))
    return sum(1 for before, after in zip([None] + rows, rows) if after == "accepted" and before != "accepted")


class BatchReviewContract:
    """What every review list's batch step must do; tests/<app>/test_batch_review.py subclasses it with fixtures:
    `periods` (≥ 3 submitted periods of the world's county, by code), `elsewhere` (a submitted period of another
    county), `grow` (grow(n) adds n submitted periods in the county), and the class attributes below."""

    route = ""  # the batch URL's name
    accepted = "已接收 %d 个。"
    other_path = None  # other_path(world, period): the single-period service accepting it (another path)

    def list_url(self, world) -> str:
        raise NotImplementedError

    def detail_url(self, period) -> str:
        return period.get_absolute_url()

    @staticmethod
    def reload(period):
        return type(period).objects.get(pk=period.pk)

    def test_county_accepts_many_each_locked_and_audited(self, world, periods, client_for):
        response = batch_post(client_for(world.users["county"]), self.route, [p.pk for p in periods])
        assert self.accepted % len(periods) in shown_messages(response)
        for period in map(self.reload, periods):
            assert period.status == "accepted" and period.is_locked and period.accepted_by == world.users["county"]
            assert accepts_in_history(period) == 1

    def test_one_accepted_meanwhile_is_listed_and_not_accepted_twice(self, world, periods, client_for):
        type(self).other_path(world, periods[0])
        response = batch_post(client_for(world.users["county"]), self.route, [p.pk for p in periods])
        shown = shown_messages(response)
        assert self.accepted % (len(periods) - 1) in shown
        first = self.reload(periods[0])
        assert [m for m in shown if first.period_label() in m] == [
            f"{first.period_label()} 当前状态为“已接收（锁定）”，现在不能接收。"]
        assert first.accepted_by == world.users["admin"] and accepts_in_history(first) == 1

    def test_ids_outside_the_county_do_nothing(self, world, periods, elsewhere, client_for):
        response = batch_post(client_for(world.users["county"]), self.route, [elsewhere.pk, 987654, periods[0].pk])
        assert response.status_code == 200
        shown = shown_messages(response)
        assert self.accepted % 1 in shown and "所选中有 2 个不在您的范围内，未作处理。" in shown
        assert self.reload(elsewhere).status == "submitted" and accepts_in_history(elsewhere) == 0

    def test_township_users_get_403(self, world, periods, client_for):
        for role in ("township_a", "township_b", "clerk_a"):
            response = client_for(world.users[role]).post(reverse(self.route), {
                "ids": [p.pk for p in periods], "step": "accept", "confirm": "1"})
            assert response.status_code == 403
        assert {self.reload(p).status for p in periods} == {"submitted"}

    def test_return_needs_a_reason(self, world, periods, client_for):
        client = client_for(world.users["county"])
        response = batch_post(client, self.route, [p.pk for p in periods], step="return")
        assert "请填写退回原因：未退回任何一项。" in response.content.decode()
        assert {self.reload(p).status for p in periods} == {"submitted"}
        response = batch_post(client, self.route, [p.pk for p in periods], step="return", reason="材料不全")
        assert f"已退回乡镇 {len(periods)} 个。" in shown_messages(response)
        assert {(p.status, p.return_reason) for p in map(self.reload, periods)} == {("returned", "材料不全")}

    def test_the_list_shows_the_county_what_waits_with_boxes(self, world, periods, client_for):
        content = client_for(world.users["county"]).get(self.list_url(world)).content.decode()
        assert "当前显示：已报送、等待您审核的。" in content and "接收所选" in content
        assert all(f'name="ids" value="{p.pk}"' in content for p in periods)
        content = client_for(world.users["township_a"]).get(self.list_url(world)).content.decode()
        assert 'name="ids"' not in content and "接收所选" not in content

    def test_list_queries_stay_bounded(self, world, periods, grow, client_for, django_assert_max_num_queries):
        client = client_for(world.users["county"])
        client.get(self.list_url(world))  # the session's first refresh is not the list's
        counts = []
        for n in (1, 8):
            grow(n)
            with django_assert_max_num_queries(30) as captured:
                assert client.get(self.list_url(world)).status_code == 200
            counts.append(len(captured.captured_queries))
        assert counts[0] == counts[1], counts

    def test_next_waiting(self, world, periods, client_for):
        client = client_for(world.users["county"])
        response = client.get(self.detail_url(periods[0]))
        assert response.context["next_waiting_url"] == self.detail_url(periods[1])
        assert "下一个待审" in response.content.decode()
        response = client.get(self.detail_url(periods[-1]))
        assert response.context["next_waiting_url"] == "" and "此后没有待审的了" in response.content.decode()
        assert "下一个待审" not in client_for(world.users["township_a"]).get(
            self.detail_url(periods[0])).content.decode()
