"""Attachments: validated by content, hashed, stored through Django storage, served with a check."""
