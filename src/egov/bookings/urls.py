"""The citizen's appointment pages, mounted at ``/dat-lich/`` (see ``views``)."""

from django.urls import path

from egov.bookings import views

app_name = "bookings"
urlpatterns = [
    path("", views.home, name="home"),
    path("dat/", views.book, name="book"),
    path("cua-toi/", views.mine, name="mine"),
    path("cua-toi/<str:code>/", views.detail, name="detail"),
    path("cua-toi/<str:code>/huy/", views.cancel, name="cancel"),
    path("h/<str:token>/", views.by_token, name="by_token"),
    path("h/<str:token>/huy/", views.cancel_by_token, name="cancel_by_token"),
]
