"""catalog: vendor products (SKU, GTIN, translated titles, price, VAT class, status)."""
