"""The service's routes: `api` (the JSON API, in the OpenAPI schema) and `web` (the pages)."""
