"""Printing the evaluation sheet and the pay table: official PDFs, and coefficients written as 0.80 everywhere."""
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import Round
from tests.pdfs import assert_official_document, pdf_text

from .factories import evaluation_world, result_of

pytestmark = pytest.mark.django_db


def test_the_pay_table_writes_coefficients_with_two_decimals_on_page_pdf_and_workbook(world, client_for):
    evaluation_world(world)
    sheet = world.extra["sheet"]
    # 0.8 has no exact binary form: SQLite handed the computed coefficient back as 0.800000000000000.
    Round.objects.filter(pk=sheet.round_id).update(coef_incompetent=Decimal("0.80"))
    client = client_for(world.users["township_a"])
    page = client.get(reverse("evaluations:pay_table", kwargs={"pk": sheet.pk})).content.decode()
    cells = re.findall(r'<td class="num">([^<]*)</td></tr>', page)  # the last cell of each row: the coefficient
    assert cells == ["0.80"], cells  # not 0.800000000000000
    text = pdf_text(client.get(reverse("evaluations:pay_pdf", kwargs={"pk": sheet.pk})).content)
    assert "0.80" in text and "0.800" not in text
    ws = load_workbook(BytesIO(client.get(reverse("evaluations:pay_export", kwargs={"pk": sheet.pk})).content)).active
    assert ws["G2"].value == 0.8 and ws["G2"].number_format == "0.00"


def test_the_evaluation_sheet_prints_every_cadre_with_scores_and_grade(world, client_for):
    evaluation_world(world)
    sheet = world.extra["sheet"]
    result = result_of(world.extra["round"], world.person_a)
    page = client_for(world.users["county"]).get(reverse("evaluations:sheet_detail", kwargs={"pk": sheet.pk}))
    assert reverse("evaluations:sheet_pdf", kwargs={"pk": sheet.pk}) in page.content.decode()
    response = client_for(world.users["county"]).get(reverse("evaluations:sheet_pdf", kwargs={"pk": sheet.pk}))
    text = assert_official_document(response.content)
    assert "甲镇2026年度村两委干部考评表" in text
    assert "甲一村王甲明支部书记" in text and f"{result.total_score}不称职" in text
    assert world.person_b.name not in text  # township B's cadre is on its own sheet
