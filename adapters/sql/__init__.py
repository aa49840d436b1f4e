"""Technology shared by every module: engine, sessions, unit of work, metadata, migrations."""
