"""URLs of the exhibitor pages: the public directory, exhibitor pages and floor map, and the portal."""

from django.urls import path

from . import portal_views, views

app_name = "exhibitors"
urlpatterns = [
    path("expositores/", views.directory, name="directory"),
    path("expositores/plano/", views.floor_map, name="map"),
    path("expositores/<slug:slug>/", views.exhibitor_page, name="exhibitor"),
    # The exhibitor portal
    path("expositor/", portal_views.home, name="portal"),
    path("expositor/acceso/", portal_views.signin, name="portal-signin"),
    path("expositor/salir/", portal_views.signout, name="portal-signout"),
    path("expositor/elegir/", portal_views.choose, name="portal-choose"),
    path("expositor/empresa/", portal_views.profile, name="portal-profile"),
    path("expositor/productos/", portal_views.products, name="portal-products"),
    path("expositor/productos/<id:product_id>/", portal_views.product_edit, name="portal-product"),
    path("expositor/productos/<id:product_id>/borrar/", portal_views.product_delete, name="portal-product-delete"),
    path("expositor/personal/", portal_views.staff, name="portal-staff"),
    path("expositor/personal/<id:member_id>/quitar/", portal_views.staff_remove, name="portal-staff-remove"),
    path("expositor/prospectos/", portal_views.leads, name="portal-leads"),
    path("expositor/prospectos/escanear/", portal_views.scan, name="portal-scan"),
    path("expositor/prospectos/escanear/registrar/", portal_views.scan_capture, name="portal-scan-capture"),
    path("expositor/prospectos/<id:lead_id>/", portal_views.lead_detail, name="portal-lead"),
    path("expositor/prospectos.csv", portal_views.leads_export, {"file_format": "csv"}, name="portal-leads-csv"),
    path("expositor/prospectos.xlsx", portal_views.leads_export, {"file_format": "xlsx"}, name="portal-leads-xlsx"),
    path("expositor/api/", portal_views.integrations, name="portal-integrations"),
    path("expositor/api/tokens/", portal_views.token_create, name="portal-token-create"),
    path("expositor/api/tokens/<id:token_id>/revocar/", portal_views.token_revoke, name="portal-token-revoke"),
    path("expositor/api/webhooks/", portal_views.webhook_create, name="portal-webhook-create"),
    path("expositor/api/webhooks/<id:endpoint_id>/", portal_views.webhook_detail, name="portal-webhook"),
    path(
        "expositor/api/webhooks/<id:endpoint_id>/<str:action>/",
        portal_views.webhook_action,
        name="portal-webhook-action",
    ),  # fmt: skip
]
