"""A chapter notebook read: its cells, the book it belongs to, the cells every chapter shares.

- ``model``: the chapter model, a notebook read once into typed cells and written back
- ``book``: the book's layout and configuration (folders, `_config.yml`, `_toc.yml`)
- ``sync``: badges, setup cells and folds written from `_config.yml` (make sync)
"""
