"""marketplace: Letzshop product feed import/export, credentials, order sync, vendor directory."""
