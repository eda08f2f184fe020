from django.urls import path

from seethesigns.selfcheck import views

app_name = "selfcheck"
urlpatterns = [
    path("", views.choose, name="choose"),
    path("<slug:path_id>/", views.check, name="check"),
]
