from django.apps import AppConfig


class FinancingConfig(AppConfig):
    name = "financing"
    verbose_name = "Financing lifecycle and FX receipts"

    def ready(self) -> None:
        from django.core import checks

        from chain.deploy import register_replay_hook
        from financing.services import financings_replay
        from financing.tallies import check_time_zone

        checks.register(check_time_zone)
        register_replay_hook(30, "financings", financings_replay)
