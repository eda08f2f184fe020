from django.urls import path

from seethesigns.children import views

# The workspace adds the pages other apps serve about one child (workspace/urls.py).
app_name = "cases"
urlpatterns = [
    path("", views.children, name="children"),
    path("new/", views.new_child, name="new"),
    path("<int:child_id>/", views.child_detail, name="child"),
    path("<int:child_id>/edit/", views.edit_child, name="edit"),
    path("<int:child_id>/chronology/", views.chronology, name="chronology"),
    path("<int:child_id>/missing/", views.new_missing, name="missing"),
    path("<int:child_id>/missing/<int:episode_id>/", views.edit_missing, name="edit_missing"),
    path("<int:child_id>/philomena/", views.philomena, name="philomena"),
    path(
        "repeat-missing/<int:alert_id>/seen/",
        views.repeat_missing_seen,
        name="repeat_missing_seen",
    ),
]
