"""ninja routers of the base API; ``egov.api.router`` mounts them."""
