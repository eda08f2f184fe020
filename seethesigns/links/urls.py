from django.urls import path

from seethesigns.links import views

app_name = "links"
urlpatterns = [
    path("", views.records, name="records"),
    path("new/", views.new_record, name="new"),
    path("<int:entity_id>/", views.record_detail, name="record"),
    path("<int:entity_id>/edit/", views.edit_record, name="edit"),
]
