"""The API's lists, for tests that go through every one of them."""

LIST_PATHS = [
    "/api/events/",
    "/api/agreements/",
    "/api/indicators/",
    "/api/observations/",
    "/api/sources/",
    "/api/citations/",
    "/api/actors/",
    "/api/places/",
    "/api/countries/",
]
