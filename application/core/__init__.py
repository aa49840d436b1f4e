"""core: platform plumbing — task runs, outbox/inbox, scheduler state, audit log."""
