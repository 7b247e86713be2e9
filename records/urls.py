"""The public read-only pages, at the site's root (namespace "site")."""

from django.urls import path

from records import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.event_list, name="events"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    path("places/<slug:slug>/", views.place_detail, name="place"),
    path("search/", views.search_page, name="search"),
]
