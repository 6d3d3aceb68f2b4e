"""Writes of "Hồ sơ của tôi" that belong to online services: the satisfaction rating and
the record that the applicant downloaded the electronic result (which opens the rating).
Supplements, withdrawals and payments go through ``dossiers`` / ``payments``.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from egov.core.audit.services import audit_record
from egov.core.text import group_thousands
from egov.dossiers.facade import PAYABLE_STATUSES, Dossier, unpaid_amount
from egov.eservices.hooks import rating_emit
from egov.eservices.models import Satisfaction, SatisfactionRating, Score
from egov.eservices.mydossiers.errors import MyDossierConflict, MyDossierError
from egov.eservices.mydossiers.selectors import (
    RESULT_DOWNLOAD_ACTION,
    can_rate,
    has_rating,
)
from egov.eservices.payment_link import PURPOSE
from egov.payments.facade import Payment, payment_start


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
            # Statistics keeps the satisfaction of the dossier (same transaction).
            rating_emit(dossier.pk)
    except IntegrityError:
        # Two submissions at once: the database keeps one rating per dossier.
        raise MyDossierConflict(
            _("Hồ sơ %(code)s đã được đánh giá.") % {"code": dossier.code}
        ) from None
    return rating


def dossier_payment_start(
    *,
    user: Any,
    dossier: Dossier,
    shown_amount: int | None,
    return_url: str,
    ip_address: str | None = None,
) -> tuple[Payment, str]:
    """Start paying online what is unpaid on ``dossier`` (the page and the API): the
    payment and the gateway address to open.  ``shown_amount`` is what the citizen saw:
    when the amount due changed meanwhile, nothing starts (409, the new amount)."""
    unpaid = unpaid_amount(dossier)
    if unpaid <= 0 or dossier.status not in PAYABLE_STATUSES:
        raise MyDossierConflict(
            _("Hồ sơ %(code)s không còn khoản phí, lệ phí nào phải nộp trực tuyến.")
            % {"code": dossier.code},
            code="payments.nothing_due",
        )
    if shown_amount is not None and shown_amount != unpaid:
        raise MyDossierConflict(
            _("Số tiền phải nộp vừa thay đổi: nay là %(amount)s đồng. Hãy xem lại rồi thanh toán.")
            % {"amount": group_thousands(unpaid)},
            code="payments.amount_changed",
            details={"amount": unpaid},
        )
    return payment_start(
        payer=user,
        purpose=PURPOSE,
        reference=dossier.code,
        amount=unpaid,
        description=_("Phí, lệ phí hồ sơ %(code)s") % {"code": dossier.code},
        return_url=return_url,
        ip_address=ip_address,
    )
