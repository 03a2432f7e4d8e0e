from django.apps import AppConfig


class ReceivablesConfig(AppConfig):
    name = "receivables"
