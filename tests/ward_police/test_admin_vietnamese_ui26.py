"""The admin speaks Vietnamese: every app and model it lists, its messages, its form errors and the
JavaScript of its two-box selector (#26.12). Scans the visible text of the pages for English."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from wards.models import Ward

pytestmark = pytest.mark.django_db

# Words that are the same in Vietnamese admin pages: names of things, not English text.
ALLOWED = {
    "root",
    "JSON",
    "UUID",
    "IP",
    "ID",
    "TOTP",
    "Celery",
    "HTTP",
    "GET",
    "POST",
    "t0",
    "OK",
    "Email",
    "email",
    "web",
    "hex",
    "byte",
    "Unix",
    "UTC",
    # What axes stores when a request lacks a header (its filters list it): data, not the admin's text.
    "unknown",
    # Celery's state code, stored as is (a task result's status field shows its default).
    "PENDING",
}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            # What a screen reader or a tooltip says is text too.
            if name in ("title", "aria-label", "placeholder") and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


# A Vietnamese word is one syllable: an onset, one to three vowels, an ending among c ch m n ng nh p t.
# Written without its marks ("Xem", "Minh") it still fits; an English word ("Static", "devices",
# "Axes", "correct") does not.
VIETNAMESE_SYLLABLE = re.compile(
    r"(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?"
)


def english(html: str) -> list[str]:
    """Visible texts holding a word that cannot be Vietnamese."""
    parser = _VisibleText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        for word in re.findall(r"[A-Za-z0-9À-ỹđĐ_]+", text):
            if word in ALLOWED or not word.isascii() or not word.isalpha() or len(word) < 2:
                continue
            if not VIETNAMESE_SYLLABLE.fullmatch(word.lower()):
                found.append(text)
                break
    return found


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    client.cookies["django_language"] = "vi"
    return client


def test_the_admin_index_names_every_app_and_model_in_vietnamese(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()

    for english_name in ("Axes", "Celery Results", "Otp_Static", "Otp_Totp", "OTP_STATIC"):
        assert english_name not in html
    assert "Khóa đăng nhập" in html
    assert "Kết quả tác vụ nền" in html
    assert "Xác thực hai bước: mã dự phòng" in html
    assert "Xác thực hai bước: ứng dụng xác thực" in html
    assert not english(html), english(html)


def test_every_third_party_list_and_form_is_in_vietnamese(admin_client, rf, root):
    from django.contrib import admin

    request = rf.get("/")
    request.user = root
    pages = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("axes", "django_celery_results", "otp_static", "otp_totp"):
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            pages.append(reverse(f"{name}_changelist"))
            if model_admin.has_add_permission(request):
                pages.append(reverse(f"{name}_add"))
    assert len(pages) >= 8
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        # The rows are records (axes names a log "Access Log for root @ …"): data, not the admin's text.
        html = re.sub(
            r'(<table id="result_list">.*?<tbody>).*?(</tbody>)',
            r"\1\2",
            response.content.decode(),
            flags=re.S,
        )
        assert not english(html), (url, english(html))


def test_a_form_with_errors_says_so_in_vietnamese(admin_client):
    url = reverse("admin:wards_ward_add")
    data = {"name": "", "code": "", "former_names": "{khong"}
    for formset in admin_client.get(url).context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    html = admin_client.post(url, data).content.decode()

    assert "Please correct" not in html
    assert "Vui lòng sửa lỗi dưới đây." in html
    assert "Nhập JSON hợp lệ." in html
    assert "Enter a valid JSON." not in html
    assert not english(html), english(html)
    assert not Ward.objects.exists() or not Ward.objects.filter(former_names__isnull=True).exists()


def test_the_two_box_selector_speaks_vietnamese(admin_client):
    js = admin_client.get(reverse("admin:jsi18n")).content.decode("utf-8")
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", js, re.S).group(1))
    assert catalog["Choose all %s"] == "Chọn tất cả %s"
    assert catalog["Choose selected %s"] == "Chọn các %s đã đánh dấu"
    assert catalog["Remove all %s"] == "Bỏ tất cả %s"
    assert catalog["abbrev. day Monday\u0004Mon"] == "T2"


def test_the_user_list_heads_the_name_column_and_the_superuser_filter_in_vietnamese(admin_client):
    html = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Get full name" not in html
    assert "Họ và tên" in html
    assert "quyền quản trị cao nhất" in html
    assert "trạng thái superuser" not in html


def test_the_permission_pickers_name_each_permission_in_vietnamese(admin_client, root):
    """Django stores permission names in English ("Can add user"); the group and user forms show
    them in the interface's language."""
    for url in (reverse("admin:auth_group_add"), reverse("admin:accounts_user_change", args=[root.pk])):
        html = admin_client.get(url).content.decode()
        options = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', html)
        permissions = [o for o in options if " | " in o]
        assert permissions, url
        assert not [o for o in permissions if "Can " in o], url
        assert any(o.endswith("| Có thể thêm cơ sở kinh doanh") for o in permissions), permissions[:20]
