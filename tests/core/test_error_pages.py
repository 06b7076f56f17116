from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_404_is_chinese(world, client_for):
    response = client_for(world.users["township_a"]).get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_403_is_chinese(world, client_for):
    response = client_for(world.users["county"]).get(reverse("villages:person_add"))
    assert response.status_code == 403 and "无权操作" in response.content.decode()


def test_500_is_chinese_without_a_stack_trace(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["township_a"])
    with mock.patch("villages.selectors.cadre_post_list", side_effect=RuntimeError("boom 11010519491231002X")):
        response = client.get(reverse("villages:village_detail", args=[world.village_a.code]))
    page = response.content.decode()
    assert response.status_code == 500
    assert "出错了" in page and "未保存任何内容" in page
    assert "Traceback" not in page and "boom" not in page


def test_csrf_failure_is_chinese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["township_a"])
    response = client.post(reverse("villages:person_add"), {"name": "x"})
    assert response.status_code == 403 and "表单已过期" in response.content.decode()


def test_400_for_an_unknown_host_is_chinese(db):
    response = Client(HTTP_HOST="evil.example.com").get("/login/")
    assert response.status_code == 400 and "请求有误" in response.content.decode()
