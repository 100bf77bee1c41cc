"""The site's URLs plus an exhibitor page named `exhibitors:detail`, as the exhibitors app will have:
the participant page must link to it once it exists."""

from django.http import HttpResponse
from django.urls import include, path

import exhibitors.urls
from expo import urls as project


def exhibitor_page(request, pk):
    return HttpResponse(f"exhibitor {pk}")


with_page = (
    [*exhibitors.urls.urlpatterns, path("expositores/<int:pk>/", exhibitor_page, name="detail")],
    "exhibitors",
)
urlpatterns = [p for p in project.urlpatterns if getattr(p, "namespace", None) != "exhibitors"]
urlpatterns.append(path("", include(with_page)))
