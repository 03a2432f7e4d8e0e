from django.urls import path

from chain.api import ChainWritesView

urlpatterns = [
    path("chain/writes/", ChainWritesView.as_view(), name="chain-writes"),
]
