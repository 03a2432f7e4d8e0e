from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = "Credit-information authorizations"

    def ready(self) -> None:
        from chain.deploy import register_replay_hook
        from credit.services import credit_chain_replay

        register_replay_hook(40, "credit_authorizations", credit_chain_replay)
