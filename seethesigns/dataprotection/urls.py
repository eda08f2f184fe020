from django.urls import path

from seethesigns.dataprotection import views

app_name = "dataprotection"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("children/<int:child_id>/", views.subject, name="subject"),
    path("children/<int:child_id>/export.json", views.export_json, name="export_json"),
    path("children/<int:child_id>/export.pdf", views.export_pdf, name="export_pdf"),
    path("children/<int:child_id>/erase/", views.erase, name="erase"),
]
