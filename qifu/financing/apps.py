from django.apps import AppConfig


class FinancingConfig(AppConfig):
    name = "qifu.financing"
    verbose_name = "融资服务"

    def ready(self) -> None:
        from qifu.financing import space, workflow  # noqa: F401  (process table, space parts)
        from qifu.financing.deadlines import order_deadlines_recompute
        from qifu.notifications.schedules import register_schedule
        from qifu.workdays.recompute import register_deadline_source

        register_schedule(
            "financing.orders.deadlines", "qifu.financing.tasks.deadlines_sweep", minutes=15
        )
        register_deadline_source("financing", "融资对接", order_deadlines_recompute)
