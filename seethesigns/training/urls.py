from django.urls import path

from seethesigns.training import views

app_name = "training"
urlpatterns = [
    path("", views.training, name="list"),
    path("completion/", views.completion, name="completion"),
    path("certificates/<str:certificate_id>/", views.certificate, name="certificate"),
    path("<slug:module_id>/", views.module, name="module"),
]
