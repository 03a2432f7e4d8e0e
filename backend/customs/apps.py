from django.apps import AppConfig


class CustomsConfig(AppConfig):
    name = "customs"
    verbose_name = "Customs declarations"

    def ready(self) -> None:
        from chain.deploy import register_replay_hook
        from customs.services import declarations_replay

        register_replay_hook(20, "declarations", declarations_replay)
