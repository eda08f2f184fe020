from django.urls import path

from seethesigns.children import views
from seethesigns.network import views as link_views
from seethesigns.referrals import views as referral_views
from seethesigns.screening import views as screening_views

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
    path("<int:child_id>/links/", link_views.link_child, name="link"),
    path("<int:child_id>/screening/", screening_views.screen_child, name="screen"),
    path("<int:child_id>/refer/", referral_views.new_referral, name="refer"),
]
