"""The catalogue of administrative procedures (danh mục TTHC) and their due dates."""
