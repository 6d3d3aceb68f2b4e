"""Celery tasks of the catalogue (thin: load by id, call a service)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="procedures.import", ignore_result=True)  # type: ignore[untyped-decorator]
def procedures_import_task(job_id: int) -> None:
    """Run an uploaded import (``interchange.services.import_job_run``); a job already
    started or finished is left alone, so a redelivered message does nothing."""
    from egov.procedures.interchange.services import import_job_run

    import_job_run(job_id=job_id)
