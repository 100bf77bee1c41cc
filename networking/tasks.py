"""Celery tasks of B2B networking. Leaves: they take ids and call a service inside their body."""

from celery import shared_task


@shared_task(soft_time_limit=20 * 60, time_limit=25 * 60, acks_late=False)
def schedule_run(run_id: int) -> str | None:
    """Run the meeting scheduler for a queued ScheduleRun. A second delivery does nothing.

    Not acknowledged late: a run whose worker dies is not redelivered behind the organizers' back;
    it shows as failed in the admin once it goes quiet, and they start another.
    """
    from networking.scheduling.services import schedule_run_execute  # noqa: PLC0415 -- tasks are leaves

    run = schedule_run_execute(run_id=run_id)
    return run.status if run else None


@shared_task(soft_time_limit=50, time_limit=60)
def schedule_runs_redispatch() -> int:
    """Periodic: queue again the runs that stayed queued because the broker was down."""
    from networking.scheduling.services import schedule_runs_redispatch as redispatch  # noqa: PLC0415

    return redispatch()


@shared_task(soft_time_limit=50, time_limit=60)
def meeting_requests_expire() -> int:
    """Periodic: pending meeting requests past their expiry become expired."""
    from networking.services import meeting_requests_expire as expire  # noqa: PLC0415 -- tasks are leaves

    return expire()
