"""tenancy: platforms, companies, vendors, users, memberships, roles, module enablement."""
