"""The published language of the orders module, ahead of the module itself (ADR 0010)."""
