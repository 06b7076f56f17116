"""Shared pieces of the demo county: the run context and deterministic Chinese names.

`manage.py seed_demo` calls seed(ctx) in each installed app's demo.py, in INSTALLED_APPS order
(villages → accounts → members → …), so each initiative adds its own demo data in its own app.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

DEMO_PASSWORD = "qiangji-demo"
DEMO_SEED = 20070607  # the date of the speech

SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄黄赵吴周徐孙马朱胡郭何高林林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国家志永海春成德荣福贵兴庆发文武忠良"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英华玲红梅燕兰凤洁琴云莲慧丹萍婷雪琳颖倩淑珍桂香月美"


@dataclass
class DemoContext:
    rng: random.Random
    scale: int
    today: dt.date
    stdout: object
    data: dict = field(default_factory=dict)

    def say(self, text: str) -> None:
        self.stdout.write(text)


def demo_today() -> dt.date:
    """The demo's "today": QIANGJI_DEMO_TODAY (YYYY-MM-DD) if set, else the date in the portal's time zone
    (Asia/Shanghai), as the pages see it: the machine's date can be a day behind near midnight."""
    value = getattr(settings, "QIANGJI_DEMO_TODAY", None)
    return dt.date.fromisoformat(value) if value else timezone.localdate()


def person_name(rng: random.Random, gender: str) -> str:
    chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given
