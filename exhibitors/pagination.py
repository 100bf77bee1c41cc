"""The API's pagination (DEFAULT_PAGINATION_CLASS): a module of its own, imported by DRF's settings
before any view, so it must import nothing of the apps."""

from rest_framework.pagination import LimitOffsetPagination


class ApiPagination(LimitOffsetPagination):
    """limit/offset pages of 50 by default; `limit` is capped so a huge number cannot overflow a query."""

    max_limit = 200

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), 10**9)  # beyond any list, and within a database integer
