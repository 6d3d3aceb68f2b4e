"""Chính quyền số: digital local government for Vietnamese People's Committees."""

from egov.celery import app as celery_app

__all__ = ["celery_app"]
