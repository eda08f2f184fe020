from django.urls import path

from seethesigns.network import views

app_name = "links"
urlpatterns = [
    path("", views.records, name="records"),
    path("new/", views.new_record, name="new"),
    path("pairs/", views.pairs, name="pairs"),
    path("pairs/<int:pair_id>/", views.pair, name="pair"),
    path("<int:entity_id>/", views.record_detail, name="record"),
    path("<int:entity_id>/edit/", views.edit_record, name="edit"),
    path("<int:entity_id>/intelligence/", views.new_intelligence, name="new_intelligence"),
    path("sightings/new/", views.new_sighting, name="new_sighting"),
    path("sightings/<int:sighting_id>/", views.sighting, name="sighting"),
    path(
        "sightings/<int:sighting_id>/intelligence/",
        views.sighting_intelligence,
        name="sighting_intelligence",
    ),
    path("intelligence/<int:sub_id>/", views.intelligence, name="intelligence"),
    path("intelligence/<int:sub_id>/pdf/", views.intelligence_pdf, name="intelligence_pdf"),
    path("intelligence/<int:sub_id>/json/", views.intelligence_json, name="intelligence_json"),
]
