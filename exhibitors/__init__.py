"""Organizations, exhibitors, products, leads, API tokens and webhooks."""
