from django.urls import path

from seethesigns.dataprotection import audit_views as views

# The DPO's audit search sits with data protection: the audit app, which every app writes to,
# imports none of them. The namespace stays "audit" (pro:audit:search).
app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("export/", views.export, name="export"),
]
