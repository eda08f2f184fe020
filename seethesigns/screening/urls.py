from django.urls import path

from seethesigns.screening import api, views

app_name = "screening"
urlpatterns = [
    path("screening/", views.quick_check, name="quick_check"),
    path("screening/indicators/", views.indicators, name="indicators"),
    path("screening/tasks/<int:task_id>/", views.task, name="task"),
    path("screening/tasks/<int:task_id>/done/", views.close_task, name="close_task"),
    path("api/", api.docs, name="api_docs"),
    path("api/openapi.json", api.openapi, name="openapi"),
    path("api/screening/", api.screening, name="api"),
]
