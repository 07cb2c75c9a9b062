"""SQLModel tables, the async engine, repositories and migrations: the only SQL."""
