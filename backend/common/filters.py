"""Query filters shared by the list endpoints."""

import datetime as dt

from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField


class UtcIsoDateTimeField(IsoDateTimeField):
    """ISO 8601 date-times compared in UTC: Python takes offsets up to ±23:59, PostgreSQL only ±15:59."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and value.tzinfo is not None:
            try:
                value = value.astimezone(dt.timezone.utc)
            except OverflowError:
                raise ValidationError("This date-time is out of range.", code="invalid") from None
        return value


class IsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField
