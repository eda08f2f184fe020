from django.urls import path

from seethesigns.cases import views
from seethesigns.screening import views as screening_views

app_name = "cases"
urlpatterns = [
    path("", views.children, name="children"),
    path("new/", views.new_child, name="new"),
    path("<int:child_id>/", views.child_detail, name="child"),
    path("<int:child_id>/screening/", screening_views.screen_child, name="screen"),
]
