"""The tracking table shows the same numbers in the page, the XLSX export and the API."""

import io
import re
from decimal import Decimal as D

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from bakti.monitoring.tracking import flat_headers, tracking_table


def _page_numbers(html: str, key: str) -> list[D | None]:
    """Numbers as the page shows them, read back in the page's own language."""
    indonesian = '<html lang="id"' in html
    values = re.findall(rf'data-itt="{key}">([^<]*)<', html)
    out = []
    for text in values:
        text = text.strip().rstrip("%")
        text = text.replace(".", "").replace(",", ".") if indonesian else text.replace(",", "")
        out.append(None if text in ("–", "") else D(text))
    return out


def test_page_xlsx_and_api_agree(client, cast, tracked):
    client.force_login(cast.mne)
    as_of = tracked.as_of.isoformat()
    table = tracking_table(tracked, as_of=tracked.as_of)
    expected_actual = [row.to_date_actual for row in table.indicators]
    expected_target = [row.to_date_target for row in table.indicators]
    expected_percent = [row.percent for row in table.indicators]
    assert [row.code for row in table.indicators] == ["OC-1", "OUT-1", "OUT-2"]
    assert expected_actual == [D("66.25"), D(175), D(110)]
    assert expected_target == [D(65), D(200), D(100)]

    page = client.get(reverse("monitoring:tracking", args=[tracked.pk]), {"as_of": as_of})
    assert page.status_code == 200
    html = page.content.decode()
    assert _page_numbers(html, "to-date-actual") == expected_actual
    assert _page_numbers(html, "to-date-target") == expected_target
    assert _page_numbers(html, "percent") == expected_percent

    download = client.get(
        reverse("monitoring:tracking", args=[tracked.pk]), {"as_of": as_of, "export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override(page.headers["Content-Language"]):
        labels = {k: gettext(k) for k in ("To date", "Total", "Sex", "Female", "Male")}
        assert list(rows[0]) == [str(h) for h in flat_headers()]
    to_date = [r for r in rows[1:] if r[6] == labels["To date"] and r[4] == labels["Total"]]
    col = {"Target": 10, "Actual": 11, "% achieved": 12}
    assert [D(str(r[col["Actual"]])) for r in to_date] == expected_actual
    assert [D(str(r[col["Target"]])) for r in to_date] == expected_target
    assert [D(str(r[col["% achieved"]])) for r in to_date] == expected_percent
    by_sex = {
        r[5]: r[col["Actual"]]
        for r in rows[1:]
        if r[4] == labels["Sex"] and r[6] == labels["To date"]
    }
    assert by_sex == {labels["Female"]: 110, labels["Male"]: 65}

    api = client.get(f"/api/v1/monitoring/programs/{tracked.pk}/tracking", {"as_of": as_of})
    assert api.status_code == 200
    data = api.json()
    assert [D(str(i["to_date_actual"])) for i in data["indicators"]] == expected_actual
    assert [D(str(i["percent"])) for i in data["indicators"]] == expected_percent
    female = next(d for d in data["indicators"][1]["disaggregations"] if d["category"] == "F")
    assert D(str(female["to_date"])) == D(110)


def test_tracking_query_count_does_not_grow(client, cast, tracked, django_assert_max_num_queries):
    from .factories import make_indicator

    client.force_login(cast.mne)
    url = reverse("monitoring:tracking", args=[tracked.pk])
    with django_assert_max_num_queries(25):
        client.get(url)
    for n in range(6):
        make_indicator(tracked, code=f"EXTRA-{n}", targets=[1, 2, 3, 4], disaggregations=["sex"])
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200
