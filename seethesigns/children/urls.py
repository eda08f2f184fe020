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
    path("reports-due/", views.reports_due, name="reports_due"),
    path("<int:child_id>/report/", views.report, name="report"),
    path("<int:child_id>/nrm/", views.new_nrm, name="nrm"),
    path("<int:child_id>/nrm/<int:nrm_id>/", views.edit_nrm, name="edit_nrm"),
    path(
        "repeat-missing/<int:alert_id>/seen/",
        views.repeat_missing_seen,
        name="repeat_missing_seen",
    ),
]
