"""Writes of "Hồ sơ của tôi" that belong to online services: the satisfaction rating and
the record that the applicant downloaded the electronic result (which opens the rating).
Supplements, withdrawals and payments go through ``dossiers`` / ``payments``.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from egov.core.audit.services import audit_record
from egov.dossiers.facade import Dossier
from egov.eservices.models import Satisfaction, SatisfactionRating, Score
from egov.eservices.mydossiers.errors import MyDossierConflict, MyDossierError
from egov.eservices.mydossiers.selectors import (
    RESULT_DOWNLOAD_ACTION,
    can_rate,
    has_rating,
)


def result_download_record(
    *, user: Any, dossier: Dossier, attachment: Any, ip_address: str | None = None
) -> None:
    """The applicant downloaded an electronic result file (audited; opens the rating)."""
    audit_record(
        actor=user,
        action=RESULT_DOWNLOAD_ACTION,
        obj=dossier,
        after={"attachment": str(attachment.uuid), "name": attachment.original_name},
        ip_address=ip_address,
    )


def rating_create(
    *,
    user: Any,
    dossier: Dossier,
    overall: str,
    ease_of_use: int,
    staff_conduct: int,
    contacts: int,
    comment: str = "",
    ip_address: str | None = None,
) -> SatisfactionRating:
    """Rate the service of ``dossier`` once (the caller has checked ``user`` is its applicant).

    ``MyDossierConflict`` (409) when it is rated already or the result is not received
    yet; ``MyDossierError`` (400) for a value outside the scale.
    """
    if overall not in Satisfaction.values or any(
        score not in Score.values for score in (ease_of_use, staff_conduct, contacts)
    ):
        raise MyDossierError(_("Hãy chọn mức đánh giá cho từng câu hỏi."))
    if has_rating(dossier):
        raise MyDossierConflict(_("Hồ sơ %(code)s đã được đánh giá.") % {"code": dossier.code})
    if not can_rate(dossier):
        raise MyDossierConflict(
            _(
                "Chỉ đánh giá được khi đã nhận kết quả (hoặc đã tải kết quả điện tử) của hồ sơ "
                "%(code)s."
            )
            % {"code": dossier.code}
        )
    try:
        with transaction.atomic():
            rating = SatisfactionRating.objects.create(
                dossier_id=dossier.pk,
                user=user,
                overall=overall,
                ease_of_use=ease_of_use,
                staff_conduct=staff_conduct,
                contacts=contacts,
                comment=(comment or "").strip()[:2000],
            )
            audit_record(
                actor=user,
                action="eservices.rating.create",
                obj=rating,
                after={
                    "dossier": dossier.code,
                    "overall": overall,
                    "ease_of_use": ease_of_use,
                    "staff_conduct": staff_conduct,
                    "contacts": contacts,
                },
                ip_address=ip_address,
            )
    except IntegrityError:
        # Two submissions at once: the database keeps one rating per dossier.
        raise MyDossierConflict(
            _("Hồ sơ %(code)s đã được đánh giá.") % {"code": dossier.code}
        ) from None
    return rating
