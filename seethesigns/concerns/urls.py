from django.urls import path

from seethesigns.concerns import views

app_name = "concerns"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("on-duty/", views.take_duty, name="take_duty"),
    path("<str:reference>/", views.concern_detail, name="detail"),
]
