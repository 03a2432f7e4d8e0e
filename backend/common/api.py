"""Endpoints of the platform itself: tokens and health."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from common.auth import login
from common.heartbeats import workers_status
from common.rendering import represent
from common.views import PlatformAPIView

logger = logging.getLogger(__name__)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenView(PlatformAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer}, auth=[])
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, expires_at = login(
            username=data.validated_data["username"],
            password=data.validated_data["password"],
            remote_addr=request.META.get("REMOTE_ADDR", ""),
        )
        return Response(represent(TokenResponseSerializer, {"token": token, "expires_at": expires_at}))


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - health reports, never raises
        logger.exception("database health check failed")
        return False


def _check_broker() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2).ping())
    except Exception:  # noqa: BLE001
        return False


def _check_chain() -> dict:
    from chain import client
    from chain.deploy import deployments_healthy, network_identity
    from chain.models import ChainNetwork

    result = {"ok": False, "chain_id": None, "block_number": None, "contracts": {},
              "rpc_url": settings.CHAIN_PUBLIC_RPC_URL or settings.CHAIN_RPC_URL}
    try:
        w3 = client.web3()
        chain_id, genesis = network_identity(w3)
        result["chain_id"] = chain_id
        result["block_number"] = w3.eth.block_number
        network = ChainNetwork.objects.filter(active=True).first()
        if network is not None:
            result["contracts"] = {d.name: d.address for d in network.deployments.order_by("name")}
            same_chain = (network.chain_id, network.genesis_hash) == (chain_id, genesis)
            result["ok"] = same_chain and deployments_healthy(w3, network)
            if not same_chain:
                result["problem"] = "chain_reset_detected"
        else:
            result["problem"] = "not_deployed"
    except Exception as exc:  # noqa: BLE001
        result["problem"] = f"unreachable: {type(exc).__name__}"
    return result


ChainHealthSerializer = inline_serializer(
    "ChainHealth",
    fields={
        "ok": serializers.BooleanField(),
        "chain_id": serializers.IntegerField(allow_null=True),
        "block_number": serializers.IntegerField(allow_null=True),
        "contracts": serializers.DictField(child=serializers.CharField()),
        "rpc_url": serializers.CharField(help_text="Where a browser reads the chain to verify audit proofs itself."),
        "problem": serializers.CharField(required=False),
    },
)

WorkersHealthSerializer = inline_serializer(
    "WorkersHealth",
    fields={
        "ok": serializers.BooleanField(help_text="Every queue had a heartbeat within stale_after_seconds."),
        "stale_after_seconds": serializers.IntegerField(),
        "queues": serializers.DictField(child=inline_serializer("QueueHeartbeat", fields={
            "ok": serializers.BooleanField(),
            "last_seen": serializers.DateTimeField(allow_null=True),
            "age_seconds": serializers.IntegerField(allow_null=True),
        }), help_text="By queue (celery, chain, audit): the last heartbeat its worker recorded."),
    },
)


class HealthView(PlatformAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        auth=[],
        responses={
            200: inline_serializer(
                "Health",
                fields={
                    "ok": serializers.BooleanField(),
                    "database": serializers.BooleanField(),
                    "broker": serializers.BooleanField(),
                    "chain": ChainHealthSerializer,
                    "workers": WorkersHealthSerializer,
                },
            )
        },
    )
    def get(self, request):
        database = _check_database()
        broker = _check_broker()
        chain = _check_chain() if database else {"ok": False, "chain_id": None, "block_number": None, "contracts": {},
                                                  "rpc_url": settings.CHAIN_PUBLIC_RPC_URL or settings.CHAIN_RPC_URL}
        ok = database and broker and chain["ok"]
        # Not part of `ok`: a 503 takes this web process out of a load balancer's rotation, and the API
        # still serves while a worker is down. Monitoring reads `workers.ok` on its own.
        body = {"ok": ok, "database": database, "broker": broker, "chain": chain, "workers": workers_status()}
        return Response(body, status=status.HTTP_200_OK if ok else status.HTTP_503_SERVICE_UNAVAILABLE)
