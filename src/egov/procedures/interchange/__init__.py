"""Import and export of the procedure catalogue: the national TTHC JSON package and an
Excel workbook clerks can fill in (see README.md).  A small Django app of its own
(label ``procedures_interchange``) so that it owns its ``ImportJob`` model, migrations
and console hooks without touching the catalogue's files."""
