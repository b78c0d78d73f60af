"""The error pages speak Vietnamese, in the product's layout, with a way back home."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def _is_ours(html: str) -> None:
    assert "Về trang chủ" in html
    assert 'href="/"' in html


def test_a_missing_page_is_a_vietnamese_404(secretary_a, client_for):
    response = client_for(secretary_a).get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and "Not Found" not in html
    _is_ours(html)


def test_a_refused_page_is_a_vietnamese_403(tree, make_user, client_for):
    plain = make_user("khong_vai_tro")  # an account with no role manages no accounts
    response = client_for(plain).get("/tai-khoan/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Bạn không có quyền làm việc này" in html and "Forbidden" not in html
    _is_ours(html)


def test_a_stale_form_is_a_vietnamese_page_not_djangos_csrf_text(tree):
    response = Client(enforce_csrf_checks=True).post("/tai-khoan/dang-nhap/", {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in html and "CSRF verification failed" not in html
    _is_ours(html)


def test_a_server_error_is_a_vietnamese_500_that_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in html and "Server Error" not in html
    _is_ours(html)
