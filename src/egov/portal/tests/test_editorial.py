"""Editorial workflow: per-portal rights, submit → review → publish, scheduling, history."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Revision,
    Workflow,
    WorkflowPage,
    WorkflowState,
)
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import querydict_from_html

from egov.accounts.tests.factories import UserFactory
from egov.core.tasks import publish_scheduled_task
from egov.organizations.constants import Role, UnitKind, UnitScheme
from egov.organizations.facade import position_assign, position_end, staff_user_deactivate
from egov.organizations.tests.factories import AgencyFactory, UnitFactory
from egov.portal import editorial
from egov.portal.demo.editorial import DRAFT_TITLE, editorial_seed
from egov.portal.models import NewsArticlePage, NewsIndexPage, PortalHomePage

pytestmark = pytest.mark.django_db

HA_LAM, BINH_DUONG, BINH_MINH, BINH_AN = "20791", "20794", "20812", "20845"
image_permission_policy = policy_registry.get_by_type(get_image_model())
document_permission_policy = policy_registry.get_by_type(get_document_model())


# --- Helpers ---------------------------------------------------------------------------------


@pytest.fixture
def portals(seeded: SimpleNamespace) -> SimpleNamespace:
    """The seeded homes, and a People's Committee in each commune that has a portal."""
    district = PortalHomePage.objects.get(depth=2)
    communes = {
        code: PortalHomePage.objects.get(unit=unit) for code, unit in seeded.units.communes.items()
    }
    agencies = {code: AgencyFactory(unit=unit) for code, unit in seeded.units.communes.items()}
    return SimpleNamespace(
        district=district,
        communes=communes,
        agencies=agencies,
        district_agency=seeded.units.agency,
    )


def staff(role: str, agency: Any, username: str | None = None) -> Any:
    user = UserFactory(staff=True, **({"username": username} if username else {}))
    position_assign(actor=None, user=user, role=role, agency=agency)
    return user


def article_of(home: PortalHomePage) -> NewsArticlePage:
    return NewsArticlePage.objects.descendant_of(home).live().order_by("path").first()


def edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_form(client: Client, page: Page, **changes: Any) -> Any:
    """The page's edit form as the browser would send it back, with ``changes``."""
    response = client.get(edit_url(page))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name.replace("__", "-")] = value
    return data


def new_draft(index: NewsIndexPage, title: str, owner: Any) -> NewsArticlePage:
    page = NewsArticlePage(
        title=title, lead="Sapo của bài viết thử.", body="<p>Nội dung.</p>", live=False
    )
    page.owner = owner
    index.add_child(instance=page)
    page.save_revision(user=owner)
    return page


def group_names(user: Any) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def approve(client: Client, page: Page) -> Any:
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    assert task_state is not None
    return client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )


# --- Set-up: groups, collections, workflows --------------------------------------------------


def test_every_portal_has_its_groups_collection_and_workflow(portals: SimpleNamespace) -> None:
    district = portals.district
    district_moderators = editorial.portal_group(district, editorial.MODERATORS)
    assert district_moderators is not None
    assert district_moderators.name == "Kiểm duyệt – Huyện Thăng Bình"
    for home in [district, *portals.communes.values()]:
        editors = editorial.portal_group(home, editorial.EDITORS)
        moderators = editorial.portal_group(home, editorial.MODERATORS)
        assert editors is not None and moderators is not None
        assert editors.name == f"Biên tập viên – {home.title}"
        perms = {
            group: set(
                GroupPagePermission.objects.filter(group=group).values_list(
                    "page_id", "permission__codename"
                )
            )
            for group in (editors, moderators)
        }
        assert perms[editors] == {(home.pk, c) for c in editorial.EDITOR_PAGE_PERMISSIONS}
        assert perms[moderators] == {(home.pk, c) for c in editorial.MODERATOR_PAGE_PERMISSIONS}
        assert "publish_page" not in {c for _p, c in perms[editors]}

        workflow = WorkflowPage.objects.get(page=home).workflow
        assert workflow.name == f"Duyệt tin bài – {home.title}" and workflow.active
        (task,) = [t.specific for t in workflow.tasks]
        assert isinstance(task, GroupApprovalTask)
        approvers = set(task.groups.all())
        expected = {moderators} if home == district else {moderators, district_moderators}
        assert approvers == expected

        collection = Collection.objects.get(name=f"Ảnh, tài liệu – {home.title}")
        parent = collection.get_parent()
        if home == district:
            assert parent == Collection.get_first_root_node()
        else:
            assert parent.name == "Ảnh, tài liệu – Huyện Thăng Bình"

    # A commune's page is reviewed in the commune's workflow, a district page in the district's.
    commune_article = article_of(portals.communes[BINH_MINH])
    assert commune_article.get_workflow().name == "Duyệt tin bài – Xã Bình Minh"
    assert article_of(district).get_workflow().name == "Duyệt tin bài – Huyện Thăng Bình"


def test_editorial_setup_is_idempotent_and_the_command_says_so(portals: SimpleNamespace) -> None:
    staff(Role.EDITOR, portals.agencies[HA_LAM])

    def counts() -> tuple[int, ...]:
        return (
            Group.objects.count(),
            GroupPagePermission.objects.count(),
            Collection.objects.count(),
            Workflow.objects.count(),
            GroupApprovalTask.objects.count(),
            Group.user_set.through.objects.count(),
        )

    before = counts()
    result = editorial.editorial_setup()
    assert not result.changed and result.portals == 5
    assert counts() == before
    out = StringIO()
    call_command("portal_editorial_setup", stdout=out)
    assert "5 cổng thông tin đã đủ nhóm và quy trình, không có gì thay đổi." in out.getvalue()
    assert counts() == before


def test_setup_repairs_a_removed_permission_and_member(portals: SimpleNamespace) -> None:
    home = portals.communes[BINH_DUONG]
    editor = staff(Role.EDITOR, portals.agencies[BINH_DUONG])
    editors = editorial.portal_group(home, editorial.EDITORS)
    assert editors is not None
    GroupPagePermission.objects.filter(group=editors, permission__codename="add_page").delete()
    GroupPagePermission.objects.create(
        group=editors,
        page=home,
        permission=GroupPagePermission._meta.get_field("permission").related_model.objects.get(
            codename="publish_page"
        ),
    )
    editors.user_set.remove(editor)

    out = StringIO()
    call_command("portal_editorial_setup", stdout=out)

    assert "1 thay đổi thành viên" in out.getvalue()
    codenames = set(
        GroupPagePermission.objects.filter(group=editors).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == set(editorial.EDITOR_PAGE_PERMISSIONS)
    assert editor.groups.filter(pk=editors.pk).exists()


def test_a_new_commune_portal_gets_its_groups_workflow_and_editors(
    portals: SimpleNamespace, seeded: SimpleNamespace
) -> None:
    unit = UnitFactory(
        scheme=UnitScheme.LEGACY,
        code="20848",
        name="Xã Bình Trung",
        parent=seeded.units.district,
        kind=UnitKind.COMMUNE,
    )
    editor = staff(Role.EDITOR, AgencyFactory(unit=unit))
    assert not {n for n in group_names(editor) if n.startswith("Biên tập viên – ")}

    home = PortalHomePage(title="Xã Bình Trung", unit=unit)
    portals.district.add_child(instance=home)

    editors = editorial.portal_group(home, editorial.EDITORS)
    assert editors is not None and editors.name == "Biên tập viên – Xã Bình Trung"
    assert editor.groups.filter(pk=editors.pk).exists()
    assert WorkflowPage.objects.get(page=home).workflow.name == "Duyệt tin bài – Xã Bình Trung"

    # Renaming the portal renames its groups, collection and workflow.
    home.title = "Xã Bình Trung (mới)"
    home.save_revision().publish()
    editors.refresh_from_db()
    assert editors.name == "Biên tập viên – Xã Bình Trung (mới)"
    assert (
        WorkflowPage.objects.get(page=home).workflow.name == "Duyệt tin bài – Xã Bình Trung (mới)"
    )
    assert Collection.objects.filter(name="Ảnh, tài liệu – Xã Bình Trung (mới)").exists()

    # Deleting it: the next set-up drops its groups.
    home.delete()
    result = editorial.editorial_setup()
    assert set(result.groups_removed) == {
        "Biên tập viên – Xã Bình Trung (mới)",
        "Kiểm duyệt – Xã Bình Trung (mới)",
    }
    assert not {n for n in group_names(editor) if n.startswith("Biên tập viên – ")}


def test_a_workflow_switched_off_stays_off(portals: SimpleNamespace) -> None:
    home = portals.communes[HA_LAM]
    workflow = WorkflowPage.objects.get(page=home).workflow
    workflow.deactivate()

    result = editorial.editorial_setup()

    workflow.refresh_from_db()
    assert not workflow.active
    assert not WorkflowPage.objects.filter(page=home).exists()
    assert result.workflows_off == [workflow.name]
    # The commune's pages fall back to the district's review.
    assert article_of(home).get_workflow().name == "Duyệt tin bài – Huyện Thăng Bình"


# --- Members follow positions ----------------------------------------------------------------


def test_groups_follow_positions(portals: SimpleNamespace) -> None:
    agency = portals.agencies[BINH_MINH]
    user = staff(Role.EDITOR, agency)
    assert "Biên tập viên – Xã Bình Minh" in group_names(user)
    assert "Biên tập viên cổng thông tin" in group_names(user)  # the role group too

    moderator_position = position_assign(
        actor=None, user=user, role=Role.PORTAL_MODERATOR, agency=agency
    )
    assert {"Biên tập viên – Xã Bình Minh", "Kiểm duyệt – Xã Bình Minh"} <= group_names(user)

    position_end(actor=None, position_id=moderator_position.pk)
    assert "Kiểm duyệt – Xã Bình Minh" not in group_names(user)
    assert "Biên tập viên – Xã Bình Minh" in group_names(user)

    # Another commune's editor position: that commune's group only.
    other = staff(Role.EDITOR, portals.agencies[HA_LAM])
    assert {n for n in group_names(other) if " – " in n} == {"Biên tập viên – Thị trấn Hà Lam"}

    # A locked account leaves every portal group.
    staff_user_deactivate(actor=None, user_id=user.pk)
    assert not {n for n in group_names(user) if " – " in n}


def test_binh_an_editor_edits_binh_an_portal_only(portals: SimpleNamespace) -> None:
    """The demo's ``demo.editor.binhan`` (an editor at Xã Bình An) edits the Bình An
    portal's pages and none of Bình Dương's."""
    editor = staff(Role.EDITOR, portals.agencies[BINH_AN], username="demo.editor.binhan")
    assert {n for n in group_names(editor) if " – " in n} == {"Biên tập viên – Xã Bình An"}
    client = logged_in(editor)

    own = article_of(portals.communes[BINH_AN])
    data = edit_form(client, own, title="Bình An cập nhật tin bài")
    assert client.post(edit_url(own), data).status_code == 302  # saved as a draft
    own.refresh_from_db()
    assert own.get_latest_revision_as_object().title == "Bình An cập nhật tin bài"
    assert own.live and own.title != "Bình An cập nhật tin bài"  # not published by an editor
    own_index = NewsIndexPage.objects.child_of(portals.communes[BINH_AN]).first()
    add = reverse("wagtailadmin_pages:add", args=["portal", "newsarticlepage", own_index.pk])
    assert client.get(add).status_code == 200

    other = article_of(portals.communes[BINH_DUONG])
    response = client.get(edit_url(other))
    assert response.status_code == 403
    assert "Bạn không có quyền sửa trang" in response.content.decode()
    other_index = NewsIndexPage.objects.child_of(portals.communes[BINH_DUONG]).first()
    add = reverse("wagtailadmin_pages:add", args=["portal", "newsarticlepage", other_index.pk])
    assert client.get(add).status_code == 403


def test_other_roles_join_no_portal_group(portals: SimpleNamespace) -> None:
    clerk = staff(Role.DESK_CLERK, portals.agencies[BINH_MINH])
    assert not {n for n in group_names(clerk) if " – " in n}


# --- Who may edit what -----------------------------------------------------------------------


def test_commune_editor_cannot_edit_another_communes_page(portals: SimpleNamespace) -> None:
    editor_a = staff(Role.EDITOR, portals.agencies[BINH_MINH])
    page_b = article_of(portals.communes[HA_LAM])
    revisions_before = page_b.revisions.count()
    superuser = UserFactory(staff=True, is_superuser=True)
    data = edit_form(logged_in(superuser), page_b, title="Sửa trái phép", lead="Sửa trái phép")
    client = logged_in(editor_a)

    response = client.get(edit_url(page_b))
    assert response.status_code == 403
    assert "Bạn không có quyền sửa trang" in response.content.decode()
    data["action-publish"] = "action-publish"
    assert client.post(edit_url(page_b), data).status_code == 403
    del data["action-publish"]
    assert client.post(edit_url(page_b), data).status_code == 403

    page_b.refresh_from_db()
    assert page_b.title != "Sửa trái phép" and page_b.lead != "Sửa trái phép"
    assert page_b.revisions.count() == revisions_before
    assert not page_b.has_unpublished_changes
    # Nor add a page there, nor edit the district's pages.
    index_b = NewsIndexPage.objects.child_of(portals.communes[HA_LAM]).first()
    add_url = reverse("wagtailadmin_pages:add", args=["portal", "newsarticlepage", index_b.pk])
    assert client.get(add_url).status_code == 403
    assert client.get(edit_url(article_of(portals.district))).status_code == 403
    # Their own commune's page opens.
    assert client.get(edit_url(article_of(portals.communes[BINH_MINH]))).status_code == 200


def test_district_editor_edits_the_communes_pages_too(portals: SimpleNamespace) -> None:
    editor = staff(Role.EDITOR, portals.district_agency)
    client = logged_in(editor)
    assert client.get(edit_url(article_of(portals.district))).status_code == 200
    assert client.get(edit_url(article_of(portals.communes[HA_LAM]))).status_code == 200


def test_editor_menu_and_media_are_their_portals(portals: SimpleNamespace) -> None:
    editor = staff(Role.EDITOR, portals.agencies[BINH_MINH])
    response = logged_in(editor).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    assert props is not None
    for name in ("explorer", "images", "documents"):
        assert f'"name": "{name}"' in props.group(1), name
    collections = image_permission_policy.collections_user_has_permission_for(editor, "add")
    assert [c.name for c in collections] == ["Ảnh, tài liệu – Xã Bình Minh"]
    district_editor = staff(Role.EDITOR, portals.district_agency)
    names = {
        c.name
        for c in image_permission_policy.collections_user_has_permission_for(district_editor, "add")
    }
    assert names == {"Ảnh, tài liệu – Huyện Thăng Bình"} | {
        f"Ảnh, tài liệu – {home.title}" for home in portals.communes.values()
    }
    # Choosing any image or document (the shared ones in the root too) stays possible.
    root = Collection.get_first_root_node()
    for policy in (image_permission_policy, document_permission_policy):
        assert policy.collections_user_has_permission_for(editor, "choose").filter(pk=root.pk)
        assert not policy.collections_user_has_permission_for(editor, "add").filter(pk=root.pk)


# --- Submit, review, publish -----------------------------------------------------------------


def test_editor_sees_submit_not_publish_and_moderator_sees_publish(
    portals: SimpleNamespace,
) -> None:
    home = portals.communes[BINH_DUONG]
    page = article_of(home)
    editor_html = logged_in(staff(Role.EDITOR, portals.agencies[BINH_DUONG])).get(edit_url(page))
    html = editor_html.content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html
    assert "Duyệt tin bài – Xã Bình Dương" in html  # the submit button names the workflow

    moderator = staff(Role.PORTAL_MODERATOR, portals.agencies[BINH_DUONG])
    html = logged_in(moderator).get(edit_url(page)).content.decode()
    assert 'name="action-publish"' in html


def test_editor_publish_post_only_saves_a_draft(portals: SimpleNamespace) -> None:
    home = portals.communes[BINH_DUONG]
    editor = staff(Role.EDITOR, portals.agencies[BINH_DUONG])
    client = logged_in(editor)
    live_page = article_of(home)
    live_title = live_page.title
    data = edit_form(client, live_page, title="Tiêu đề mới chưa duyệt")
    data["action-publish"] = "action-publish"

    response = client.post(edit_url(live_page), data)

    assert response.status_code == 302
    live_page.refresh_from_db()
    assert live_page.live and live_page.title == live_title
    assert live_page.has_unpublished_changes
    assert live_page.get_latest_revision_as_object().title == "Tiêu đề mới chưa duyệt"
    assert not WorkflowState.objects.for_instance(live_page).filter(status="in_progress").exists()

    # A new page stays a draft.
    index = NewsIndexPage.objects.child_of(home).first()
    draft = new_draft(index, "Bản nháp của biên tập viên", editor)
    data = edit_form(client, draft)
    data["action-publish"] = "action-publish"
    client.post(edit_url(draft), data)
    draft.refresh_from_db()
    assert not draft.live and draft.first_published_at is None


def test_submit_then_moderator_approves_and_the_page_goes_live(
    portals: SimpleNamespace,
) -> None:
    home = portals.communes[BINH_MINH]
    editor = staff(Role.EDITOR, portals.agencies[BINH_MINH])
    moderator = staff(Role.PORTAL_MODERATOR, portals.agencies[BINH_MINH])
    index = NewsIndexPage.objects.child_of(home).first()
    draft = new_draft(index, "Xã Bình Minh ra quân làm đường giao thông nông thôn", editor)
    client = logged_in(editor)
    data = edit_form(client, draft, lead="Sapo đã sửa trước khi gửi duyệt.")
    data["action-submit"] = "action-submit"

    assert client.post(edit_url(draft), data).status_code == 302

    draft.refresh_from_db()
    state = WorkflowState.objects.for_instance(draft).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == editor
    assert not draft.live
    # While in review the editor cannot approve it (not in the task's group).
    assert approve(client, draft).status_code in (302, 403)
    draft.refresh_from_db()
    assert not draft.live

    # The moderator sees it on the dashboard and approves it.
    moderator_client = logged_in(moderator)
    dashboard = moderator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert draft.title in dashboard
    assert approve(moderator_client, draft).status_code == 302

    draft.refresh_from_db()
    state.refresh_from_db()
    assert draft.live and state.status == WorkflowState.STATUS_APPROVED
    assert draft.lead == "Sapo đã sửa trước khi gửi duyệt."
    # The district's moderators may approve a commune's page too.
    other = new_draft(index, "Bài thứ hai của xã Bình Minh", editor)
    other.get_workflow().start(other, editor)
    district_moderator = staff(Role.PORTAL_MODERATOR, portals.district_agency)
    assert approve(logged_in(district_moderator), other).status_code == 302
    other.refresh_from_db()
    assert other.live


def test_moderator_requests_changes_and_the_page_stays_a_draft(
    portals: SimpleNamespace,
) -> None:
    home = portals.communes[HA_LAM]
    editor = staff(Role.EDITOR, portals.agencies[HA_LAM])
    moderator = staff(Role.PORTAL_MODERATOR, portals.agencies[HA_LAM])
    index = NewsIndexPage.objects.child_of(home).first()
    draft = new_draft(index, "Bài cần sửa", editor)
    state = draft.get_workflow().start(draft, editor)
    task_state = state.current_task_state

    response = logged_in(moderator).post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "reject", task_state.pk]),
        {"comment": "Đề nghị bổ sung nguồn tin."},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    state.refresh_from_db()
    assert not draft.live
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    # The editor may edit it again and resubmit.
    client = logged_in(editor)
    data = edit_form(client, draft, source="Văn phòng UBND thị trấn Hà Lam")
    data["action-restart-workflow"] = "action-restart-workflow"
    assert client.post(edit_url(draft), data).status_code == 302
    assert (
        WorkflowState.objects.for_instance(draft)
        .filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .exists()
    )


def test_editor_withdraws_a_submission_to_keep_editing(portals: SimpleNamespace) -> None:
    home = portals.communes[BINH_DUONG]
    editor = staff(Role.EDITOR, portals.agencies[BINH_DUONG])
    index = NewsIndexPage.objects.child_of(home).first()
    draft = new_draft(index, "Bài gửi nhầm", editor)
    state = draft.get_workflow().start(draft, editor)
    client = logged_in(editor)
    html = client.get(edit_url(draft)).content.decode()
    assert 'name="action-cancel-workflow"' in html

    data = edit_form(client, draft)
    data["action-cancel-workflow"] = "action-cancel-workflow"
    # Wagtail renders the (now unlocked) editor again rather than redirecting.
    assert client.post(edit_url(draft), data).status_code == 200

    state.refresh_from_db()
    draft.refresh_from_db()
    assert state.status == WorkflowState.STATUS_CANCELLED and not draft.live


def test_scheduled_publishing_happens_when_the_time_comes(portals: SimpleNamespace) -> None:
    assert settings.CELERY_BEAT_SCHEDULE["core-publish-scheduled"] == {
        "task": "core.publish_scheduled",
        "schedule": 60.0,
    }
    home = portals.district
    editor = staff(Role.EDITOR, portals.district_agency)
    moderator = staff(Role.PORTAL_MODERATOR, portals.district_agency)
    index = NewsIndexPage.objects.child_of(home).first()
    draft = new_draft(index, "Thông báo lịch tiếp công dân tuần tới", editor)
    client = logged_in(editor)
    go_live = timezone.localtime() + timedelta(days=1)
    data = edit_form(client, draft, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    data["action-submit"] = "action-submit"
    assert client.post(edit_url(draft), data).status_code == 302
    assert approve(logged_in(moderator), draft).status_code == 302

    draft.refresh_from_db()
    assert not draft.live
    revision = Revision.objects.get(object_id=str(draft.pk), approved_go_live_at__isnull=False)
    assert revision.approved_go_live_at > timezone.now()

    publish_scheduled_task()  # not yet due
    draft.refresh_from_db()
    assert not draft.live

    # The time comes: both the approved time and the page's own "go live" are now past.
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    publish_scheduled_task.delay()  # what beat queues every minute (eager in tests)

    draft.refresh_from_db()
    assert draft.live and draft.first_published_at is not None


# --- Revision history ------------------------------------------------------------------------


def test_revision_history_and_rollback_are_open_to_the_editor(portals: SimpleNamespace) -> None:
    home = portals.communes[BINH_DUONG]
    editor = staff(Role.EDITOR, portals.agencies[BINH_DUONG])
    client = logged_in(editor)
    page = article_of(home)
    first = page.get_latest_revision()
    for title in ("Bản sửa thứ nhất", "Bản sửa thứ hai"):
        data = edit_form(client, page, title=title)
        assert client.post(edit_url(page), data).status_code == 302
    page.refresh_from_db()
    assert page.revisions.count() >= 3
    assert page.get_latest_revision_as_object().title == "Bản sửa thứ hai"

    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert history.status_code == 200
    revert = client.get(reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first.pk]))
    assert revert.status_code == 200
    assert first.as_object().title in revert.content.decode()
    # Another commune's editor may not read it.
    outsider = logged_in(staff(Role.EDITOR, portals.agencies[HA_LAM]))
    assert outsider.get(reverse("wagtailadmin_pages:history", args=[page.pk])).status_code in (
        302,
        403,
    )


# --- Demo ------------------------------------------------------------------------------------


def test_editorial_seed_leaves_one_draft_for_the_moderator(portals: SimpleNamespace) -> None:
    editor = staff(Role.EDITOR, portals.district_agency, username="demo.editor")
    moderator = staff(Role.PORTAL_MODERATOR, portals.district_agency, username="demo.moderator")

    result = editorial_seed()

    assert result.changed and len(result.drafts_submitted) == 1
    draft = NewsArticlePage.objects.get(title=DRAFT_TITLE)
    assert not draft.live and draft.owner == editor
    assert draft.current_workflow_task is not None
    dashboard = logged_in(moderator).get(reverse("wagtailadmin_home")).content.decode()
    assert DRAFT_TITLE in dashboard

    again = editorial_seed()
    assert not again.changed
    assert NewsArticlePage.objects.filter(title=DRAFT_TITLE).count() == 1
