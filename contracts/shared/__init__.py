"""Published language shared by every module: integration event base, problem shapes."""
