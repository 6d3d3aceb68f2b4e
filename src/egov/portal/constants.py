from django.db import models
from django.utils.translation import gettext_lazy as _


class NewsCategory(models.TextChoices):
    """The seed's eight news categories (chuyên mục)."""

    POLITICS = "chinh-tri", _("Chính trị")
    ECONOMY = "kinh-te", _("Kinh tế")
    CULTURE_SOCIETY = "van-hoa-xa-hoi", _("Văn hóa - Xã hội")
    DEFENCE_SECURITY = "quoc-phong-an-ninh", _("Quốc phòng - An ninh")
    TOURISM = "du-lich", _("Du lịch")
    LITERATURE_ARTS = "van-hoc-nghe-thuat", _("Văn học - Nghệ thuật")
    ADMIN_REFORM = "cai-cach-hanh-chinh", _("Cải cách hành chính")
    SCIENCE_TECHNOLOGY = "khoa-hoc-cong-nghe", _("Khoa học - Công nghệ")


NEWS_PER_PAGE = 10
LATEST_PER_CATEGORY = 4
RELATED_LIMIT = 5
