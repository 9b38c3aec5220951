import pytest
from django.test import Client


@pytest.mark.django_db
def test_login_page_is_in_indonesian_by_default(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()
    assert "Masuk" in response.content.decode()


@pytest.mark.django_db
def test_home_asks_anonymous_visitors_to_log_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
