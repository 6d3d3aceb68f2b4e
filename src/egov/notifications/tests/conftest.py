from egov.notifications.tests import factories  # noqa: F401  (declares the test events)
