from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "lvzhi.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self):
        # runs before the app registry is ready: settings, workflows, the publication hook and the tick jobs
        from lvzhi.core import hooks
        from lvzhi.core.tick import register_tick_job

        from . import rules, workflows  # noqa: F401  (settings and workflows declared at start-up)

        hooks.register("content.published", "lvzhi.monitoring.services.on_content_published")
        register_tick_job("monitoring.update_check", "lvzhi.monitoring.jobs.run_update_check")
        register_tick_job("monitoring.crawl", "lvzhi.monitoring.jobs.run_due_crawls")
