from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from records import signals

        signals.connect()


class RecordsAdminConfig(admin_apps.AdminConfig):
    """The admin, with the site that shows curators what needs attention."""

    default = False  # this module's default app config is RecordsConfig

    default_site = "records.admin_site.RecordsAdminSite"
