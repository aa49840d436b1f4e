"""marketplace: Letzshop product feed imports (listings, import jobs and their row errors)."""
