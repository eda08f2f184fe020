from django.urls import path

from seethesigns.concerns import views

app_name = "concerns"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<str:reference>/", views.concern_detail, name="detail"),
]
