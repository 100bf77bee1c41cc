"""The exhibitor API's pagination: limit/offset, with both bounded so no number can overflow a query."""

from rest_framework.pagination import LimitOffsetPagination


class ApiPagination(LimitOffsetPagination):
    """limit/offset pages of 50 by default; `limit` is capped so a huge number cannot overflow a query."""

    max_limit = 200

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), 10**9)  # beyond any list, and within a database integer
