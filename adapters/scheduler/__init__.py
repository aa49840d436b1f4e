"""The cron scheduler: leader lease, per-slot fired records, persisted pointers."""
