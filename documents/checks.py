from django.conf import settings
from django.core.checks import Error, register


@register()
def time_limits_below_visibility_timeout(app_configs, **kwargs) -> list[Error]:
    # A task still running when the visibility timeout expires is delivered to a second worker.
    errors = []
    hard = settings.CELERY_TASK_TIME_LIMIT
    soft = settings.CELERY_TASK_SOFT_TIME_LIMIT
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    if not soft < hard < visibility:
        errors.append(
            Error(
                f"Celery time limits must satisfy soft ({soft}) < hard ({hard}) "
                f"< visibility timeout ({visibility}).",
                hint="Set CELERY_TASK_SOFT_TIME_LIMIT, CELERY_TASK_TIME_LIMIT and CELERY_VISIBILITY_TIMEOUT.",
                id="documents.E001",
            )
        )
    return errors
