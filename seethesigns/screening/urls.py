from django.urls import path

from seethesigns.screening import api, views

app_name = "screening"
urlpatterns = [
    path("screening/", views.quick_check, name="quick_check"),
    path("screening/indicators/", views.indicators, name="indicators"),
    path("api/", api.docs, name="api_docs"),
    path("api/openapi.json", api.openapi, name="openapi"),
    path("api/screening/", api.screening, name="api"),
]
