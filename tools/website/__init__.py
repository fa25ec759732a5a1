"""The website: the executed chapters built into HTML, and what the built pages must show.

- ``build``: the website from the executed copies (make book)
- ``verify``: what the built site must contain (outputs, figures, Colab links)
"""
