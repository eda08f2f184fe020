from django.urls import path

from seethesigns.cases import views
from seethesigns.referrals import views as referral_views
from seethesigns.screening import views as screening_views

app_name = "cases"
urlpatterns = [
    path("", views.children, name="children"),
    path("new/", views.new_child, name="new"),
    path("<int:child_id>/", views.child_detail, name="child"),
    path("<int:child_id>/screening/", screening_views.screen_child, name="screen"),
    path("<int:child_id>/refer/", referral_views.new_referral, name="refer"),
]
