"""Role checks: a user's role is its organization's kind."""

from rest_framework.permissions import BasePermission

EXPORTER, BANK, REGULATOR, OPERATOR = "exporter", "bank", "regulator", "operator"


def role_of(user) -> str | None:
    org = getattr(user, "organization", None)
    return org.kind if org is not None else None


class HasRole(BasePermission):
    roles: tuple[str, ...] = ()
    message = "Your organization's role may not do this."

    def has_permission(self, request, view):
        return bool(request.user) and role_of(request.user) in self.roles


def roles(*allowed: str) -> type[HasRole]:
    return type(f"Role_{'_'.join(allowed)}", (HasRole,), {"roles": allowed})


IsExporter = roles(EXPORTER)
IsBank = roles(BANK)
IsRegulator = roles(REGULATOR)
IsOperator = roles(OPERATOR)
