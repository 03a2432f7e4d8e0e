from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from audit.services import audit_anchors_replay
        from chain.deploy import register_replay_hook

        # Last: after a chain reset, every batch is anchored again on the new AuditAnchor.
        register_replay_hook(90, "audit_batches", audit_anchors_replay)
