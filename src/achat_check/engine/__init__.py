"""Rules as data: pack schema, loading, compilation into matchers, detection with context."""
