"""The book's own tools, one package per concern; the commands among them run from the project root
(`python -m tools.PACKAGE.MODULE`). tools/README.md draws how they fit together.

- ``chapters``: a chapter read (the chapter model), the book's layout and configuration, make sync
- ``running``: chapters executed in kernels, under pytest, timed (make bench) and over seeds
- ``website``: the website built from the executed chapters, and checked (make book)
- ``course``: student copies and nbgrader assignments (make student, make assignments)

``lab_config/`` holds JupyterLab settings (make lab), not modules.
"""
