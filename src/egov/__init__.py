"""Chính quyền số: digital local government for Vietnamese People's Committees."""
