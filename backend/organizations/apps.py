from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Organizations and users"

    def ready(self) -> None:
        from chain.deploy import register_replay_hook
        from organizations.services import members_replay

        register_replay_hook(10, "members", members_replay)
