from django.urls import URLPattern

app_name = "dvcqg"
urlpatterns: list[URLPattern] = []
