from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "qifu.market"
    verbose_name = "服务超市"

    def ready(self) -> None:
        from qifu.market import cards  # noqa: F401  (the exclusive space's card and timeline)
        from qifu.market.deadlines import order_deadlines_recompute
        from qifu.notifications.schedules import register_schedule
        from qifu.workdays.recompute import register_deadline_source

        register_schedule(
            "market.deadlines", "qifu.market.deadlines.orders_deadline_sweep", minutes=15
        )
        register_deadline_source("market", "服务超市订单", order_deadlines_recompute)
