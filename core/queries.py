"""Aggregates computed in the database, shared by the selectors and reports of every initiative."""
from django.db.models import Count, IntegerField, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def subquery_count(qs, group_by: str):
    """COUNT of qs (filtered on an OuterRef) grouped by `group_by`, as an annotation of the outer rows; 0 when
    there are none. One correlated subquery: the outer query's row count stays as it is."""
    counted = qs.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def subquery_sum(qs, group_by: str, field: str):
    """SUM of `field` over qs grouped by `group_by`, as an annotation; 0 when there are none."""
    summed = qs.order_by().values(group_by).annotate(n=Sum(field)).values("n")
    return Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))
