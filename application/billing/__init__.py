"""billing: plan tiers, vendor subscriptions, trials, usage against limits."""
