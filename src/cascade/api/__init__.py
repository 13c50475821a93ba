"""The REST API at /api/v1/: one NinjaAPI with a router per app, bearer-token auth only."""
